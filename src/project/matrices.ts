import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../source/source-file.js';
import type { MatrixView } from '../views/matrix.js';
import { specMatrix } from './outputs.js';
import type { Project } from './project.js';

export interface MatricesReport {
  sources: SourceFile[];
  diagnostics: Diagnostic[];
  /** One per valid spec with variables, in file order: the data and its Markdown. */
  matrices: { spec: string; view: MatrixView; markdown: string }[];
  /** Valid specs without variables: they have one scenario, so no matrix. */
  withoutVariables: string[];
}

/** The presence matrix of every spec of the project (what `protoflow matrix` prints), written with its templates. */
export async function matrices(project: Project): Promise<MatricesReport> {
  const { sources, diagnostics } = await project.read();
  const report: MatricesReport = { sources, diagnostics, matrices: [], withoutVariables: [] };
  for (const source of sources) {
    const compiled = await project.compile(source);
    report.diagnostics.push(...compiled.diagnostics);
    if (!compiled.value) continue;
    const matrix = specMatrix(compiled.value, undefined, project.settings.templates);
    if (!matrix) {
      report.withoutVariables.push(source.name);
      continue;
    }
    report.diagnostics.push(...matrix.markdown.diagnostics);
    if (matrix.markdown.value !== undefined) report.matrices.push({ spec: source.name, view: matrix.view, markdown: matrix.markdown.value });
  }
  return report;
}
