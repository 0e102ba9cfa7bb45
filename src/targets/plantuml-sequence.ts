import { sequenceView } from '../views/sequence.js';
import { plantumlBold, plantumlItalic, plantumlText } from './escape/plantuml.js';
import type { Target } from './target.js';

export const plantumlSequence: Target = {
  name: 'plantuml-sequence',
  extension: '.sequence.puml',
  view: sequenceView,
  helpers: { text: plantumlText, bold: plantumlBold, italic: plantumlItalic },
  engine: 'plantuml',
  renderConfig: {},
  codeBlock: 'plantuml',
  drawnInMarkdown: false,
};
