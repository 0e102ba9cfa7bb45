import type { Result } from '../diagnostics/diagnostic.js';
import type { MatrixView } from '../views/matrix.js';
import { templateFailed, templatesFor } from './generate.js';
import { markdownCell } from './escape/markdown.js';
import { TEMPLATES_DIR } from './templates-dir.js';

/** Appended to the spec's base name: `https-tls12.matrix.md`. */
export const MATRIX_EXTENSION = '.matrix.md';
const FOLDER = 'markdown-matrix';

/** The presence matrix as a Markdown document (templates/markdown-matrix/). */
export function markdownMatrix(view: MatrixView, templatesDir = TEMPLATES_DIR): Result<string> {
  try {
    return { value: templatesFor(FOLDER, { text: markdownCell }, 'matrix', templatesDir)(view), diagnostics: [] };
  } catch (cause) {
    return { diagnostics: [templateFailed(FOLDER, cause)] };
  }
}
