import { sequenceView } from '../views/sequence.js';
import { plantumlBold, plantumlDividerText, plantumlItalic, plantumlText } from './escape/plantuml.js';
import type { DrawnTarget } from './target.js';

export const plantumlSequence: DrawnTarget = {
  name: 'plantuml-sequence',
  extension: '.sequence.puml',
  view: sequenceView,
  helpers: { text: plantumlText, divider: plantumlDividerText, bold: plantumlBold, italic: plantumlItalic },
  engine: 'plantuml',
  renderConfig: {},
  codeBlock: 'plantuml',
  drawnInMarkdown: false,
};
