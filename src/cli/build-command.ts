import { errorCount, hasErrors, sortDiagnostics } from '../diagnostics/diagnostic.js';
import { writeDocs } from '../docs/write-docs.js';
import { addDocs, build } from '../project/build.js';
import { commandName } from './invocation.js';
import { type CommandContext, UsageError } from './context.js';
import { EXIT, printDiagnostics, stopSignal } from './output.js';
import { openProject, withScenarios } from './settings.js';

/** `protoflow build` (`write`) and `protoflow validate`, which does the same checks and writes nothing. */
export async function runBuild(context: CommandContext, write: boolean): Promise<number> {
  const { values, io, output } = context;
  if ((values.quiet || values.verbose) && values.watch) throw new UsageError('--quiet and --verbose are for build (not --watch) and validate');
  if (values.quiet && values.verbose) throw new UsageError('--quiet and --verbose contradict each other: choose one');
  if (values.watch && output.format === 'json') throw new UsageError('--watch prints a line per rebuild; it has no JSON form');
  const opened = await openProject(context);
  if (!opened) return EXIT.specErrors;
  const project = await withScenarios(context, opened);
  const force = values.force ?? false;
  // The config's Markdown files are kept current by every build into the project's output folder,
  // their regions embedding what it drew (a build sent elsewhere with --out leaves them alone).
  const docs = write && values.out === undefined ? [opened.config.config.docs ?? []].flat() : [];
  if (values.watch) {
    const { watchBuild } = await import('./watch.js');
    const stop = stopSignal();
    return watchBuild(project, { force, docs }, io, stop, output.noColor);
  }
  const started = Date.now();
  // A live count on a terminal; in CI (no terminal, or CI=true) only the lines below.
  const live = io.stderr.isTTY === true && !io.env.CI && !values.quiet;
  const report = await build(project, {
    write,
    force,
    ...(live
      ? { onProgress: ({ done, total, file }: { done: number; total: number; file: string }) => io.stderr.write(`\r\x1b[2Kdrawing ${done}/${total} ${file}`) }
      : {}),
  });
  if (live) io.stderr.write('\r\x1b[2K');
  if (docs.length > 0) addDocs(report, await writeDocs(project, docs, `${commandName()} build`));
  const diagnostics = sortDiagnostics(values.quiet ? report.diagnostics.filter((d) => d.severity === 'error') : report.diagnostics);
  const failed = hasErrors(diagnostics);

  if (output.format === 'json') {
    const { diagnosticsToJson } = await import('../diagnostics/format.js');
    const results = write ? { written: report.written, unchanged: report.unchanged } : {};
    io.stdout.write(`${diagnosticsToJson(diagnostics, results)}\n`);
    return failed ? EXIT.specErrors : EXIT.ok;
  }
  await printDiagnostics(diagnostics, report.sources, io, output.noColor);
  if (values.verbose) io.stdout.write(report.written.map((file) => `wrote ${file}\n`).join(''));
  const errors = errorCount(diagnostics);
  const warnings = diagnostics.length - errors;
  const counts = `${errors} error(s)${warnings > 0 ? `, ${warnings} warning(s)` : ''}`;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const summary = write
    ? `${report.specCount} spec(s), ${report.written.length} file(s) written, ${report.unchanged.length} unchanged, ${counts} in ${seconds} s`
    : `${report.specCount} spec(s) checked, ${counts}`;
  if (failed || !values.quiet) (failed ? io.stderr : io.stdout).write(`${summary}\n`);
  return failed ? EXIT.specErrors : EXIT.ok;
}
