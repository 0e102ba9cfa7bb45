import { errorCount, hasErrors, sortDiagnostics } from '../diagnostics/diagnostic.js';
import { diagnosticsToJson } from '../diagnostics/format.js';
import { matrices } from '../project/matrices.js';
import type { CommandContext } from './context.js';
import { EXIT, printDiagnostics } from './output.js';
import { openProject } from './settings.js';

/** `protoflow matrix`: each spec's presence matrix as Markdown (or all of them as JSON) on stdout. */
export async function runMatrix(context: CommandContext): Promise<number> {
  const opened = await openProject(context);
  if (!opened) return EXIT.specErrors;
  const { io, output } = context;
  const report = await matrices(opened.project);
  const diagnostics = sortDiagnostics(report.diagnostics);
  const status = hasErrors(diagnostics) ? EXIT.specErrors : EXIT.ok;
  if (output.format === 'json') {
    io.stdout.write(
      `${diagnosticsToJson(diagnostics, { matrices: report.matrices.map(({ spec, view: { title, variables, columns, rows } }) => ({ spec, title, variables, columns, rows })) })}\n`,
    );
    return status;
  }
  await printDiagnostics(diagnostics, report.sources, io, output.noColor);
  io.stdout.write(report.matrices.map((m) => m.markdown).join('\n'));
  // On stderr, so that stdout stays the Markdown alone.
  const errors = errorCount(diagnostics);
  const plain = report.withoutVariables.length > 0 ? ` (${report.withoutVariables.join(', ')}: no variables, one scenario)` : '';
  io.stderr.write(`${report.sources.length} spec(s), ${report.matrices.length} matrix(es)${plain}, ${errors} error(s)\n`);
  return status;
}
