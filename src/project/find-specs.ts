import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { DiagnosticCodes, error, failureReason, type Diagnostic } from '../diagnostics/diagnostic.js';
import { readSourceFile, type SourceFile } from '../source/source-file.js';
import { isInside, SPEC_FILE } from '../compile/include-path.js';

/**
 * The files named, and those matching `pattern` in the folders named (searched recursively), each file once however it was spelt;
 * sorted by code point so builds are the same in every locale. Paths are relative to `cwd`, and
 * the files found are named the same way.
 */
export async function findFiles(paths: readonly string[], pattern: RegExp, cwd: string): Promise<{ files: string[]; problems: Diagnostic[] }> {
  const found: string[] = [];
  const problems: Diagnostic[] = [];
  for (const path of paths) {
    const info = await stat(resolve(cwd, path)).catch(() => undefined);
    if (!info) {
      // A pattern reaches here quoted, or from the config: protoflow searches folders, the shell expands patterns.
      const hint = /[*?[]/.test(path) ? 'name a folder to search it for every file inside' : undefined;
      problems.push(error(DiagnosticCodes.FILE_UNREADABLE, `no such file or folder: ${path}`, undefined, hint));
    } else if (info.isDirectory()) found.push(...(await walk(path, pattern, problems, cwd)));
    else found.push(path);
  }
  const seen = new Set<string>();
  const files = found.filter((file) => {
    const absolute = resolve(cwd, file);
    if (seen.has(absolute)) return false;
    seen.add(absolute);
    return true;
  });
  return { files, problems };
}

async function walk(folder: string, pattern: RegExp, problems: Diagnostic[], cwd: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(resolve(cwd, folder), { withFileTypes: true });
  } catch (cause) {
    problems.push(error(DiagnosticCodes.FILE_UNREADABLE, `cannot read folder ${folder}: ${failureReason(cause)}`));
    return [];
  }
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(folder, entry.name);
    // Installed packages and hidden folders (.git) hold no file of the project's own.
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) found.push(...(await walk(path, pattern, problems, cwd)));
    } else if (pattern.test(entry.name)) {
      found.push(path);
    }
  }
  return found;
}

/** True when `path` is a file (not missing, not a folder). */
export async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() === true;
}

/**
 * Every spec named, read, with the problems finding or reading them (and a diagnostic when there
 * is none). Each spec's root (see `specRoot`) is the first of `roots`, then of `paths`, that holds it.
 */
export async function readSpecs(
  paths: readonly string[],
  roots: readonly string[],
  cwd: string,
): Promise<{ sources: SourceFile[]; diagnostics: Diagnostic[] }> {
  const read = await readFiles(paths, SPEC_FILE, '.yaml spec', cwd);
  return { ...read, sources: read.sources.map((source) => ({ ...source, root: specRoot(source.name, [...roots, ...paths], cwd) })) };
}

/**
 * The folder a spec's includes must stay inside (absolute): the first of `folders` (the project's
 * spec folders, then those searched) that holds it, else the spec's own folder.
 */
export function specRoot(file: string, folders: readonly string[], cwd: string): string {
  const path = resolve(cwd, file);
  return folders.map((folder) => resolve(cwd, folder)).find((folder) => folder !== path && isInside(path, folder)) ?? dirname(path);
}

/** Every file named, or matching `pattern` in the folders named, read. */
export async function readFiles(
  paths: readonly string[],
  pattern: RegExp,
  what: string,
  cwd: string,
): Promise<{ sources: SourceFile[]; diagnostics: Diagnostic[] }> {
  const { files, problems } = await findFiles(paths, pattern, cwd);
  const diagnostics = [...problems];
  if (files.length === 0 && problems.length === 0) {
    diagnostics.push(error(DiagnosticCodes.NO_SPECS_FOUND, `no ${what} found in ${paths.join(', ')}`));
  }
  const sources: SourceFile[] = [];
  for (const file of files) {
    const read = await readSourceFile(resolve(cwd, file), file);
    diagnostics.push(...read.diagnostics);
    if (read.value) sources.push(read.value);
  }
  return { sources, diagnostics };
}
