import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const SPEC_FILE = /\.ya?ml$/;

/** The spec files named, with folders searched recursively; sorted so builds are reproducible. */
export async function findSpecs(paths: readonly string[]): Promise<{ files: string[]; missing: string[] }> {
  const files: string[] = [];
  const missing: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) missing.push(path);
    else if (info.isDirectory()) files.push(...(await walk(path)));
    else files.push(path);
  }
  return { files: [...new Set(files)], missing };
}

async function walk(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await walk(path)));
    else if (SPEC_FILE.test(entry.name)) found.push(path);
  }
  return found;
}
