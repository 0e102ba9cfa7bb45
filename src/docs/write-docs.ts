import { DiagnosticCodes, error, failureReason, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import { isFile, readFiles } from '../project/find-specs.js';
import type { Project } from '../project/project.js';
import { inside } from '../shared/host.js';
import { writeFileAtomic } from '../shared/write-atomic.js';
import type { SourceFile } from '../source/source-file.js';
import { updateDocs } from './embed.js';
import { MARKDOWN_FILE } from './regions.js';

export interface DocsReport {
  /** The Markdown files and the specs read, for code frames. */
  sources: SourceFile[];
  diagnostics: Diagnostic[];
  /** The Markdown files whose regions changed, as named. */
  written: string[];
  files: number;
  regions: number;
}

/**
 * Brings every region of the Markdown files named (files or folders) up to date, writing only
 * the files that change; a region linking to an image not drawn yet is a warning that says how
 * to draw it (`drawIt`, e.g. "npx protoflow build").
 */
export async function writeDocs(project: Project, inputs: readonly string[], drawIt: string): Promise<DocsReport> {
  const read = await readFiles(inputs, MARKDOWN_FILE, 'Markdown file', project.host.cwd);
  const updated = await updateDocs(read.sources, project);
  const diagnostics = [...read.diagnostics, ...updated.diagnostics];
  const written: string[] = [];
  for (const doc of updated.docs) {
    for (const image of doc.images) {
      const file = inside(project.outFolder, image);
      if (!(await isFile(file.path))) {
        diagnostics.push(warning(DiagnosticCodes.DOCS_REGION, `${doc.file} links to ${file.name}, which is not there yet: ${drawIt} draws it`));
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
  return {
    sources: [...read.sources, ...updated.specs],
    diagnostics,
    written,
    files: read.sources.length,
    regions: updated.docs.reduce((n, d) => n + d.regions, 0),
  };
}
