import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { CheckReport } from '../project/check.js';
import { isFile, readFiles } from '../project/find-specs.js';
import { sameText } from '../shared/same-text.js';
import { type DocsSettings, updateDocs } from './embed.js';
import { MARKDOWN_FILE } from './regions.js';

/**
 * Adds to a check's report whether the protoflow regions of the Markdown files in `docs` are what
 * `protoflow docs` would write now, embedding the specs the check compiled.
 */
export async function checkDocs(docs: readonly string[], settings: DocsSettings, report: CheckReport): Promise<void> {
  if (docs.length === 0) return;
  const at = (name: string) => join(settings.outDir, name);
  const read = await readFiles(docs, MARKDOWN_FILE, 'Markdown file');
  const updated = await updateDocs(read.sources, settings, report.known);
  report.diagnostics.push(...read.diagnostics, ...updated.diagnostics);
  for (const doc of updated.docs) {
    // A linked image the specs checked here do not produce must at least be there.
    for (const image of doc.images) {
      if (!report.expected.has(image) && !(await isFile(at(image)))) report.missing.push(`${at(image)} (linked from ${doc.file})`);
    }
    if (sameText(doc.before, doc.after)) report.current.push(doc.file);
    else
      report.stale.push({
        file: doc.file,
        diff: createTwoFilesPatch(doc.file, doc.file, doc.before, doc.after, 'as it is', 'with its regions as the specs build now'),
      });
  }
}
