import { basename } from 'node:path';
import type { ImageFormat } from '../render/renderer.js';

/** `source` is each target's diagram text; `svg` and `png` are images drawn from it. */
export type OutputFormat = 'source' | ImageFormat;
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['source', 'svg', 'png'];

export const DEFAULT_RENDER_TIMEOUT_MS = 60_000;

/** The spec's base name without `.yaml`/`.yml`: `specs/https-tls12.yaml` → `https-tls12`. */
export function outputBase(file: string): string {
  return basename(file).replace(/\.ya?ml$/, '');
}
