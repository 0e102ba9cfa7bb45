import { createTwoFilesPatch } from 'diff';
import type { CheckReport } from '../project/check.js';
import { isFile, readFiles } from '../project/find-specs.js';
import { sameText } from '../shared/same-text.js';
import { updateDocs } from './embed.js';
import type { Project } from '../project/project.js';
import { inside } from '../shared/host.js';
import { MARKDOWN_FILE } from './regions.js';

/**
 * Adds to a check's report whether the protoflow regions of the Markdown files in `docs` are what
 * `protoflow docs` would write now, embedding the specs the check compiled.
 */
export async function checkDocs(docs: readonly string[], project: Project, report: CheckReport): Promise<void> {
  if (docs.length === 0) return;
  const read = await readFiles(docs, MARKDOWN_FILE, 'Markdown file', project.host.cwd);
  const updated = await updateDocs(read.sources, project, report.known);
  report.diagnostics.push(...read.diagnostics, ...updated.diagnostics);
  for (const doc of updated.docs) {
    // A linked image the specs checked here do not produce must at least be there.
    for (const image of doc.images) {
      const file = inside(project.outFolder, image);
      if (!report.expected.has(image) && !(await isFile(file.path))) report.missing.push(`${file.name} (linked from ${doc.file})`);
    }
    if (sameText(doc.before, doc.after)) report.current.push(doc.file);
    else
      report.stale.push({
        file: doc.file,
        diff: createTwoFilesPatch(doc.file, doc.file, doc.before, doc.after, 'as it is', 'with its regions as the specs build now'),
      });
  }
}
