import { checkDocs } from '../docs/check-docs.js';
import { check } from '../project/check.js';
import { errorCount, hasErrors, sortDiagnostics } from '../diagnostics/diagnostic.js';
import { diagnosticsToJson } from '../diagnostics/format.js';
import type { CommandContext } from './context.js';
import { EXIT, printDiagnostics } from './output.js';
import { openProject, withScenarios } from './settings.js';

/**
 * `protoflow check`: every stale, missing and orphaned output (with a unified diff for text),
 * exit 1 if there is one; 0 when the output folder is what build would write.
 */
export async function runCheck(context: CommandContext): Promise<number> {
  const opened = await openProject(context);
  if (!opened) return EXIT.specErrors;
  const project = await withScenarios(context, opened);
  const report = await check(project);
  await checkDocs([opened.config.config.docs ?? []].flat(), project, report);
  const output = context.output;
  const diagnostics = sortDiagnostics(report.diagnostics);
  const outdated = report.stale.length + report.missing.length + report.orphaned.length;
  const status = hasErrors(diagnostics) || outdated > 0 ? EXIT.specErrors : EXIT.ok;
  const { io } = output;
  if (output.format === 'json') {
    const { current, stale, missing, orphaned } = report;
    io.stdout.write(`${diagnosticsToJson(diagnostics, { ok: status === EXIT.ok, current: current.length, stale, missing, orphaned })}\n`);
    return status;
  }
  await printDiagnostics(diagnostics, report.sources, io, output.noColor);
  const lines = [
    ...report.stale.map((s) => `stale: ${s.file}${s.diff === undefined ? ' (an image drawn from another source, format or renderer)' : `\n${s.diff}`}`),
    ...report.missing.map((file) => `missing: ${file}`),
    ...report.orphaned.map((file) => `orphaned: ${file} (no spec produces it)`),
  ];
  if (lines.length > 0) io.stdout.write(`${lines.join('\n')}\n`);
  const errors = errorCount(diagnostics);
  const summary = `${report.specCount} spec(s): ${report.current.length} current, ${report.stale.length} stale, ${report.missing.length} missing, ${report.orphaned.length} orphaned, ${errors} error(s)`;
  (status === EXIT.ok ? io.stdout : io.stderr).write(`${summary}\n`);
  return status;
}
