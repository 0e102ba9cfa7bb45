import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../source/source-file.js';
import { compileSpec } from '../compile/load-spec.js';
import type { TemplateSet } from '../targets/generate.js';
import type { MatrixView } from '../views/matrix.js';
import { readSpecs } from './find-specs.js';
import { specMatrix } from './outputs.js';

export interface MatricesReport {
  sources: SourceFile[];
  diagnostics: Diagnostic[];
  /** One per valid spec with variables, in file order: the data and its Markdown. */
  matrices: { spec: string; view: MatrixView; markdown: string }[];
  /** Valid specs without variables: they have one scenario, so no matrix. */
  withoutVariables: string[];
}

/** The presence matrix of every spec named (what `protoflow matrix` prints), written with the project's templates. */
export async function matrices(inputs: readonly string[], specRoots: readonly string[] = [], templates?: TemplateSet): Promise<MatricesReport> {
  const { sources, diagnostics } = await readSpecs(inputs, specRoots);
  const report: MatricesReport = { sources, diagnostics, matrices: [], withoutVariables: [] };
  for (const source of sources) {
    const compiled = compileSpec(source);
    report.diagnostics.push(...compiled.diagnostics);
    if (!compiled.value) continue;
    const matrix = specMatrix(compiled.value, undefined, templates);
    if (!matrix) {
      report.withoutVariables.push(source.name);
      continue;
    }
    report.diagnostics.push(...matrix.markdown.diagnostics);
    if (matrix.markdown.value !== undefined) report.matrices.push({ spec: source.name, view: matrix.view, markdown: matrix.markdown.value });
  }
  return report;
}
