import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../shared/write-atomic.js';
import type { Fingerprint, ImageFormat } from './renderer.js';
import { readRegularFile } from '../source/source-file.js';

/** Beside the images, committed with them: what each image was drawn from. */
export const IMAGE_MANIFEST = '.protoflow-images.json';

export interface ImageRecord {
  /** Hash of everything that decides the image: source, format, engine options and versions. */
  key: string;
  /** The image file's size as written: a missing or truncated file is drawn again. */
  bytes: number;
}

/** Image file name, relative to the output folder → its record. */
export type ImageManifest = Map<string, ImageRecord>;

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function renderKey(parts: {
  source: string;
  format: ImageFormat;
  engine: string;
  fingerprint: Fingerprint;
  config: Readonly<Record<string, unknown>>;
}): string {
  return sha256(JSON.stringify([parts.engine, parts.format, parts.fingerprint, parts.config, parts.source]));
}

/** The manifest of `outDir`; empty when there is none or it cannot be read (everything is drawn again). */
export async function readManifest(outDir: string): Promise<ImageManifest> {
  const manifest: ImageManifest = new Map();
  let parsed: { images?: Record<string, unknown> };
  try {
    parsed = JSON.parse((await readRegularFile(join(outDir, IMAGE_MANIFEST))).toString('utf8')) as typeof parsed;
  } catch {
    return manifest;
  }
  for (const [name, record] of Object.entries(parsed.images ?? {})) {
    const { key, bytes } = (record ?? {}) as Partial<ImageRecord>;
    if (typeof key === 'string' && typeof bytes === 'number') manifest.set(name, { key, bytes });
  }
  return manifest;
}

export async function writeManifest(outDir: string, manifest: ImageManifest): Promise<void> {
  // Sorted, one entry per line: the committed file diffs cleanly.
  const images = Object.fromEntries([...manifest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  await writeFileAtomic(join(outDir, IMAGE_MANIFEST), `${JSON.stringify({ images }, null, 2)}\n`);
}

/** An image of a diagram source is named after it: `x.sequence.puml` → `x.sequence.puml.svg`. */
export function imageName(sourceName: string, format: ImageFormat): string {
  return `${sourceName}.${format}`;
}

/** The manifest's record of an image, when the image is on disk at the size recorded. */
export async function recordedImage(outDir: string, name: string, manifest: ImageManifest): Promise<ImageRecord | undefined> {
  const record = manifest.get(name);
  if (!record) return undefined;
  const info = await stat(join(outDir, name)).catch(() => undefined);
  return info?.isFile() === true && info.size === record.bytes ? record : undefined;
}

/** The keys an image may have been drawn from to be current: the one it would be drawn from now first. */
export interface ImageKeys {
  draw: string;
  current: readonly string[];
}

/** True when the image exists at the size written and was drawn from one of these keys. */
export async function isCurrent(outDir: string, name: string, keys: ImageKeys, manifest: ImageManifest): Promise<boolean> {
  const key = (await recordedImage(outDir, name, manifest))?.key;
  return key !== undefined && keys.current.includes(key);
}
