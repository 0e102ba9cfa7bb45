import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { sha256 } from '../render/cache.js';
import { writeFileAtomic } from './write-atomic.js';

/**
 * Stamps hash protoflow's own code, so they belong to this machine and checkout, not to the
 * repository: they live in `node_modules/.cache/protoflow/` (or the temporary folder), one file per
 * output folder. Losing them costs one build that parses every spec again.
 */
function stampFile(outDir: string): string {
  const modules = join(process.cwd(), 'node_modules');
  const folder = existsSync(modules) ? join(modules, '.cache', 'protoflow') : join(tmpdir(), `protoflow-cache-${userInfo().username}`);
  return join(folder, `stamps-${sha256(resolve(outDir)).slice(0, 16)}.json`);
}

/** Output base name (`https-tls12`) → stamp of the spec and settings its outputs were last built from. */
export async function readStamps(outDir: string): Promise<Map<string, string>> {
  try {
    const parsed = JSON.parse(await readFile(stampFile(outDir), 'utf8')) as Record<string, unknown>;
    return new Map(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return new Map();
  }
}

export async function writeStamps(outDir: string, stamps: ReadonlyMap<string, string>): Promise<void> {
  await writeFileAtomic(stampFile(outDir), `${JSON.stringify(Object.fromEntries(stamps), null, 2)}\n`);
}
