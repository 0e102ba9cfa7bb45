import { errorCount, hasErrors, sortDiagnostics } from '../diagnostics/diagnostic.js';
import { diagnosticsToJson } from '../diagnostics/format.js';
import { writeDocs } from '../docs/write-docs.js';
import type { Project } from '../project/project.js';
import { commandName } from './invocation.js';
import { type CommandContext, type Output, UsageError } from './context.js';
import { EXIT, printDiagnostics } from './output.js';
import { openProject } from './settings.js';

/** `protoflow docs [FILES]`: the files named, else the config's `docs`. */
export async function runDocs(context: CommandContext): Promise<number> {
  const opened = await openProject({ ...context, inputs: [] });
  if (!opened) return EXIT.specErrors;
  const docs = context.inputs.length > 0 ? context.inputs : [opened.config.config.docs ?? []].flat();
  if (docs.length === 0)
    throw new UsageError(`docs needs the Markdown files to update, e.g. ${commandName()} docs README.md docs/ (or "docs:" in the config file)`);
  return updateMarkdown(docs, opened.project, context.output);
}

/** Brings every region of the Markdown files up to date, writing only those that change. */
async function updateMarkdown(inputs: readonly string[], project: Project, output: Output): Promise<number> {
  const report = await writeDocs(project, inputs, `${commandName()} build`);
  const sorted = sortDiagnostics(report.diagnostics);
  const status = hasErrors(sorted) ? EXIT.specErrors : EXIT.ok;
  if (output.format === 'json') {
    output.io.stdout.write(`${diagnosticsToJson(sorted, { written: report.written })}\n`);
    return status;
  }
  await printDiagnostics(sorted, report.sources, output.io, output.noColor);
  const errors = errorCount(sorted);
  (status === EXIT.ok ? output.io.stdout : output.io.stderr).write(
    `${report.files} Markdown file(s), ${report.regions} region(s), ${report.written.length} file(s) updated, ${errors} error(s)\n`,
  );
  return status;
}
