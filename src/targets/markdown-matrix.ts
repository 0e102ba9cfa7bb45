import type { Result } from '../diagnostics/diagnostic.js';
import type { MatrixView } from '../views/matrix.js';
import { bundledTemplates, templateFailed } from './generate.js';
import { markdownCell } from './escape/markdown.js';

/** Appended to the spec's base name: `https-tls12.matrix.md`. */
export const MATRIX_EXTENSION = '.matrix.md';
const FOLDER = 'markdown-matrix';

/** The presence matrix as a Markdown document (templates/markdown-matrix/). */
export function markdownMatrix(view: MatrixView, templates = bundledTemplates()): Result<string> {
  try {
    return { value: templates.template(FOLDER, { text: markdownCell }, 'matrix')(view), diagnostics: [] };
  } catch (cause) {
    return { diagnostics: [templateFailed(FOLDER, cause)] };
  }
}
