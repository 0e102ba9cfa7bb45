import { flowchartView } from '../views/flowchart.js';
import { plantumlBold, plantumlItalic, plantumlText } from './escape/plantuml.js';
import type { DrawnTarget } from './target.js';

export const plantumlActivity: DrawnTarget = {
  name: 'plantuml-activity',
  extension: '.activity.puml',
  view: flowchartView,
  helpers: { text: plantumlText, bold: plantumlBold, italic: plantumlItalic },
  engine: 'plantuml',
  renderConfig: {},
  codeBlock: 'plantuml',
  drawnInMarkdown: false,
};
