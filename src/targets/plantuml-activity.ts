import { flowchartView } from '../views/flowchart.js';
import { plantumlBold, plantumlItalic, plantumlText } from './escape/plantuml.js';
import type { Target } from './target.js';

export const plantumlActivity: Target = {
  name: 'plantuml-activity',
  extension: '.activity.puml',
  view: flowchartView,
  helpers: { text: plantumlText, bold: plantumlBold, italic: plantumlItalic },
  engine: 'plantuml',
  renderConfig: {},
  codeBlock: 'plantuml',
  drawnInMarkdown: false,
};
