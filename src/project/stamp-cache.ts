import { existsSync } from 'node:fs';
import { lstat, mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Host } from '../shared/host.js';
import { sha256 } from '../render/cache.js';
import { writeFileAtomic } from '../shared/write-atomic.js';
import { readRegularFile, readTextIfAny } from '../source/source-file.js';

/**
 * Stamps hash protoflow's own code, so they belong to this machine and checkout, not to the
 * repository: they live in the project's `node_modules/.cache/protoflow/`, or without one in the
 * user's own cache folder (`$XDG_CACHE_HOME/protoflow`, else `~/.cache/protoflow`), one file per
 * output folder. Never in a shared temporary folder, where another user could plant a FIFO or a
 * link. Losing them costs one build that parses every spec again.
 */
export function stampFolder({ cwd, env }: Host): string {
  const modules = join(cwd, 'node_modules');
  if (existsSync(modules)) return join(modules, '.cache', 'protoflow');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'protoflow');
}

/**
 * The stamp file of an output folder (absolute), its folder made (0700) and checked: a real folder
 * (not a link) owned by this user. Undefined when it cannot be had: then nothing is cached.
 */
async function stampFile(outDir: string, host: Host): Promise<string | undefined> {
  const folder = stampFolder(host);
  try {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const info = await lstat(folder);
    const uid = process.getuid?.();
    if (!info.isDirectory() || (uid !== undefined && info.uid !== uid)) return undefined;
  } catch {
    return undefined;
  }
  return join(folder, `stamps-${sha256(outDir).slice(0, 16)}.json`);
}

/** What a spec's last clean build was made from, and the files it wrote. */
export interface StampRecord {
  stamp: string;
  /** Diagram sources and other text outputs, by file name in the output folder. */
  texts: string[];
  /** Images, by file name in the output folder (see the image manifest). */
  images: string[];
  /** The specs it includes, by real path, with the hash of the text it was built from. */
  includes: Record<string, string>;
}

const isNames = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

function isRecord(value: unknown): value is StampRecord {
  if (value === null || typeof value !== 'object') return false;
  const { stamp, texts, images, includes } = value as Record<string, unknown>;
  const hashes = includes !== null && typeof includes === 'object' && Object.values(includes).every((h) => typeof h === 'string');
  return typeof stamp === 'string' && isNames(texts) && isNames(images) && hashes;
}

/** What a stamp records of an included spec: the hash of its text, or that it did not exist. */
export function includeHash(text: string | undefined): string {
  return text === undefined ? 'missing' : sha256(text);
}

/** True when every spec the record's spec includes is as it was built from (still missing, if it was). */
export async function includesUnchanged(record: StampRecord): Promise<boolean> {
  for (const [path, hash] of Object.entries(record.includes)) {
    if (includeHash(await readTextIfAny(path)) !== hash) return false;
  }
  return true;
}

/** Output base name (`https-tls12`) → what its outputs were last built from. */
export async function readStamps(outDir: string, host: Host): Promise<Map<string, StampRecord>> {
  try {
    const file = await stampFile(outDir, host);
    if (!file) return new Map();
    const parsed = JSON.parse((await readRegularFile(file)).toString('utf8')) as Record<string, unknown>;
    return new Map(Object.entries(parsed).filter((entry): entry is [string, StampRecord] => isRecord(entry[1])));
  } catch {
    return new Map();
  }
}

export async function writeStamps(outDir: string, host: Host, stamps: ReadonlyMap<string, StampRecord>): Promise<void> {
  const file = await stampFile(outDir, host);
  if (file) await writeFileAtomic(file, `${JSON.stringify(Object.fromEntries(stamps), null, 2)}\n`);
}
