import { isFile, readFiles } from '../project/find-specs.js';
import { writeFileAtomic } from '../shared/write-atomic.js';
import { DiagnosticCodes, error, errorCount, failureReason, hasErrors, sortDiagnostics, warning } from '../diagnostics/diagnostic.js';
import { diagnosticsToJson } from '../diagnostics/format.js';
import { updateDocs } from '../docs/embed.js';
import type { Project } from '../project/project.js';
import { inside } from '../shared/host.js';
import { MARKDOWN_FILE } from '../docs/regions.js';
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
  const read = await readFiles(inputs, MARKDOWN_FILE, 'Markdown file', project.host.cwd);
  const updated = await updateDocs(read.sources, project);
  const diagnostics = [...read.diagnostics, ...updated.diagnostics];
  const written: string[] = [];
  for (const doc of updated.docs) {
    for (const image of doc.images) {
      const file = inside(project.outFolder, image);
      if (!(await isFile(file.path))) {
        diagnostics.push(warning(DiagnosticCodes.DOCS_REGION, `${doc.file} links to ${file.name}, which is not there yet: ${commandName()} build draws it`));
      }
    }
    if (doc.after === doc.before) continue;
    try {
      await writeFileAtomic(project.resolve(doc.file), doc.after);
      written.push(doc.file);
    } catch (cause) {
      diagnostics.push(error(DiagnosticCodes.OUTPUT_FAILED, `cannot write ${doc.file}: ${failureReason(cause)}`));
    }
  }
  const sorted = sortDiagnostics(diagnostics);
  const status = hasErrors(sorted) ? EXIT.specErrors : EXIT.ok;
  const regions = updated.docs.reduce((n, d) => n + d.regions, 0);
  if (output.format === 'json') {
    output.io.stdout.write(`${diagnosticsToJson(sorted, { written })}\n`);
    return status;
  }
  await printDiagnostics(sorted, [...read.sources, ...updated.specs], output.io, output.noColor);
  const errors = errorCount(sorted);
  (status === EXIT.ok ? output.io.stdout : output.io.stderr).write(
    `${read.sources.length} Markdown file(s), ${regions} region(s), ${written.length} file(s) updated, ${errors} error(s)\n`,
  );
  return status;
}
