import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DiagnosticCodes, error, failureReason, type Diagnostic } from '../diagnostics/diagnostic.js';
import { readSourceFile, type SourceFile } from '../source/source-file.js';

const SPEC_FILE = /\.ya?ml$/;

/**
 * The spec files named, with folders searched recursively, each file once however it was spelt;
 * sorted by code point so builds are the same in every locale.
 */
export async function findSpecs(paths: readonly string[]): Promise<{ files: string[]; problems: Diagnostic[] }> {
  const found: string[] = [];
  const problems: Diagnostic[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) problems.push(error(DiagnosticCodes.FILE_UNREADABLE, `no such file or folder: ${path}`));
    else if (info.isDirectory()) found.push(...(await walk(path, problems)));
    else found.push(path);
  }
  const seen = new Set<string>();
  const files = found.filter((file) => {
    const absolute = resolve(file);
    if (seen.has(absolute)) return false;
    seen.add(absolute);
    return true;
  });
  return { files, problems };
}

async function walk(folder: string, problems: Diagnostic[]): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (cause) {
    problems.push(error(DiagnosticCodes.FILE_UNREADABLE, `cannot read folder ${folder}: ${failureReason(cause)}`));
    return [];
  }
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await walk(path, problems)));
    else if (SPEC_FILE.test(entry.name)) found.push(path);
  }
  return found;
}

/** Every spec named, read, with the problems finding or reading them (and a diagnostic when there is none). */
export async function readSpecs(paths: readonly string[]): Promise<{ sources: SourceFile[]; diagnostics: Diagnostic[] }> {
  const { files, problems } = await findSpecs(paths);
  const diagnostics = [...problems];
  if (files.length === 0 && problems.length === 0) {
    diagnostics.push(error(DiagnosticCodes.NO_SPECS_FOUND, `no .yaml spec found in ${paths.join(', ')}`));
  }
  const sources: SourceFile[] = [];
  for (const file of files) {
    const read = await readSourceFile(file);
    diagnostics.push(...read.diagnostics);
    if (read.value) sources.push(read.value);
  }
  return { sources, diagnostics };
}
