import { isFile, readFiles } from '../project/find-specs.js';
import { writeFileAtomic } from '../shared/write-atomic.js';
import { join } from 'node:path';
import { DiagnosticCodes, error, errorCount, failureReason, hasErrors, sortDiagnostics, warning } from '../diagnostics/diagnostic.js';
import { diagnosticsToJson } from '../diagnostics/format.js';
import { updateDocs, type DocsSettings } from '../docs/embed.js';
import { MARKDOWN_FILE } from '../docs/regions.js';
import { commandName } from './invocation.js';
import { EXIT, printDiagnostics, type Io } from './output.js';

/** `protoflow docs FILES`: brings every region of the Markdown files up to date, writing only those that change. */
export async function runDocs(
  inputs: readonly string[],
  settings: DocsSettings,
  output: { format: 'text' | 'json'; io: Io; noColor: boolean },
): Promise<number> {
  const read = await readFiles(inputs, MARKDOWN_FILE, 'Markdown file');
  const updated = await updateDocs(read.sources, settings);
  const diagnostics = [...read.diagnostics, ...updated.diagnostics];
  const written: string[] = [];
  for (const doc of updated.docs) {
    for (const image of doc.images) {
      if (!(await isFile(join(settings.outDir, image)))) {
        diagnostics.push(
          warning(DiagnosticCodes.DOCS_REGION, `${doc.file} links to ${join(settings.outDir, image)}, which is not there yet: ${commandName()} build draws it`),
        );
      }
    }
    if (doc.after === doc.before) continue;
    try {
      await writeFileAtomic(doc.file, doc.after);
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
