import anyAscii from 'any-ascii';
import { ladderView } from '../views/ladder.js';
import type { Target } from './target.js';

/** An RFC-style ladder in plain ASCII: for RFCs, code comments, mail and any terminal. */
export const textSequence: Target = {
  name: 'text-sequence',
  extension: '.sequence.txt',
  // Every character ASCII: the author's text is transliterated ("→" becomes "->") before it is laid out.
  view: (flow) => ladderView(flow, { text: anyAscii }),
  helpers: {},
  renderConfig: {},
  codeBlock: 'text',
  drawnInMarkdown: true,
};
