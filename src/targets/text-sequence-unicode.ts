import { ladderView } from '../views/ladder.js';
import type { Target } from './target.js';

/** The same ladder drawn with box-drawing characters, the author's text as written. */
export const textSequenceUnicode: Target = {
  name: 'text-sequence-unicode',
  extension: '.sequence.unicode.txt',
  view: (flow) => ladderView(flow),
  helpers: {},
  renderConfig: {},
  codeBlock: 'text',
  drawnInMarkdown: true,
};
