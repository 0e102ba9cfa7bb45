import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../build/write-atomic.js';
import type { ImageFormat } from './renderer.js';

/** Beside the outputs: what each spec's outputs and each image were made from. */
export const BUILD_MANIFEST = '.protoflow-build.json';

export interface ImageRecord {
  /** Hash of everything that decides the image: source, format, engine options and versions. */
  key: string;
  /** The image file's size as written: a missing or truncated file is drawn again. */
  bytes: number;
}

export interface BuildManifest {
  /** Output base name (`https-tls12`) → stamp of the spec and settings its outputs were built from. */
  specs: Map<string, string>;
  /** Image file name, relative to the output folder → its record. */
  images: Map<string, ImageRecord>;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function renderKey(parts: {
  source: string;
  format: ImageFormat;
  engine: string;
  fingerprint: Record<string, string | number | boolean>;
  config: Readonly<Record<string, unknown>>;
}): string {
  return sha256(JSON.stringify([parts.engine, parts.format, parts.fingerprint, parts.config, parts.source]));
}

/** The manifest of `outDir`; empty when there is none or it cannot be read (everything is built again). */
export async function readManifest(outDir: string): Promise<BuildManifest> {
  const manifest: BuildManifest = { specs: new Map(), images: new Map() };
  let parsed: { specs?: Record<string, unknown>; images?: Record<string, unknown> };
  try {
    parsed = JSON.parse(await readFile(join(outDir, BUILD_MANIFEST), 'utf8')) as typeof parsed;
  } catch {
    return manifest;
  }
  for (const [base, stamp] of Object.entries(parsed.specs ?? {})) {
    if (typeof stamp === 'string') manifest.specs.set(base, stamp);
  }
  for (const [name, record] of Object.entries(parsed.images ?? {})) {
    const { key, bytes } = (record ?? {}) as Partial<ImageRecord>;
    if (typeof key === 'string' && typeof bytes === 'number') manifest.images.set(name, { key, bytes });
  }
  return manifest;
}

export async function writeManifest(outDir: string, manifest: BuildManifest): Promise<void> {
  // Sorted, one entry per line: the committed file diffs cleanly.
  const sorted = <T>(map: Map<string, T>) => Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const text = `${JSON.stringify({ specs: sorted(manifest.specs), images: sorted(manifest.images) }, null, 2)}\n`;
  await writeFileAtomic(join(outDir, BUILD_MANIFEST), text);
}

/** True when the image exists at the size written and was drawn from exactly this key. */
export async function isCurrent(outDir: string, name: string, key: string, manifest: BuildManifest): Promise<boolean> {
  const record = manifest.images.get(name);
  if (!record || record.key !== key) return false;
  const info = await stat(join(outDir, name)).catch(() => undefined);
  return info?.isFile() === true && info.size === record.bytes;
}
