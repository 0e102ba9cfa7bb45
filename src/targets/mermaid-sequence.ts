import { sequenceView } from '../views/sequence.js';
import { mermaidSequenceText, mermaidSequenceTitle } from './escape/mermaid.js';
import type { DrawnTarget } from './target.js';

export const mermaidSequence: DrawnTarget = {
  name: 'mermaid-sequence',
  extension: '.sequence.mmd',
  view: sequenceView,
  helpers: { text: mermaidSequenceText, oneLine: mermaidSequenceTitle },
  engine: 'mermaid',
  renderConfig: {},
  codeBlock: 'mermaid',
  drawnInMarkdown: true,
};
