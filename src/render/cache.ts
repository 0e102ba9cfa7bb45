import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../build/write-atomic.js';
import type { ImageFormat } from './renderer.js';

/** Beside the images in the output folder: what each image was drawn from. */
export const RENDER_MANIFEST = '.protoflow-renders.json';

export interface ImageRecord {
  /** Hash of everything that decides the image: source, format, engine options and versions. */
  key: string;
  /** Hash of the image file as written, so a replaced or damaged file is drawn again. */
  sha256: string;
}

/** Image file name (relative to the output folder) → its record. */
export type RenderManifest = Map<string, ImageRecord>;

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

/** The manifest of `outDir`; empty when there is none or it cannot be read (everything is drawn again). */
export async function readManifest(outDir: string): Promise<RenderManifest> {
  try {
    const parsed = JSON.parse(await readFile(join(outDir, RENDER_MANIFEST), 'utf8')) as { images?: Record<string, ImageRecord> };
    const entries = Object.entries(parsed.images ?? {}).filter(
      ([, r]) => typeof r === 'object' && r !== null && typeof r.key === 'string' && typeof r.sha256 === 'string',
    );
    return new Map(entries);
  } catch {
    return new Map();
  }
}

export async function writeManifest(outDir: string, manifest: RenderManifest): Promise<void> {
  // Sorted, one entry per line: the committed file diffs cleanly.
  const images = Object.fromEntries([...manifest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  await writeFileAtomic(join(outDir, RENDER_MANIFEST), `${JSON.stringify({ images }, null, 2)}\n`);
}

/** True when the image exists as it was written and was drawn from exactly this key. */
export async function isCurrent(outDir: string, name: string, key: string, manifest: RenderManifest): Promise<boolean> {
  const record = manifest.get(name);
  if (!record || record.key !== key) return false;
  const data = await readFile(join(outDir, name)).catch(() => undefined);
  return data !== undefined && sha256(data) === record.sha256;
}
