import { sequenceView } from '../views/sequence.js';
import { plantumlText } from './escape/plantuml.js';
import type { Target } from './target.js';

export const plantumlSequence: Target = {
  name: 'plantuml-sequence',
  extension: '.sequence.puml',
  view: sequenceView,
  helpers: { text: plantumlText },
  engine: 'plantuml',
  renderConfig: {},
  codeBlock: 'plantuml',
  drawnInMarkdown: false,
};
