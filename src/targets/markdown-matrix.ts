import type { Result } from '../diagnostics/diagnostic.js';
import type { MatrixView } from '../views/matrix.js';
import { loadTemplates, templateFailed } from './engine.js';
import { markdownCell } from './escape/markdown.js';

/** Appended to the spec's base name: `https-tls12.matrix.md`. */
export const MATRIX_EXTENSION = '.matrix.md';
const FOLDER = 'markdown-matrix';

let template: ((context: object) => string) | undefined;

/** The presence matrix as a Markdown document (templates/markdown-matrix/). */
export function markdownMatrix(view: MatrixView): Result<string> {
  try {
    template ??= loadTemplates(FOLDER, { text: markdownCell }, 'matrix');
    return { value: template(view), diagnostics: [] };
  } catch (cause) {
    return { diagnostics: [templateFailed(FOLDER, cause)] };
  }
}
