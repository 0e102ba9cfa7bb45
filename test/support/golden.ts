import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Set UPDATE_GOLDEN=1 to rewrite golden files from the current output; then review the diff. */
export const UPDATING_GOLDEN = process.env.UPDATE_GOLDEN === '1';

/** The golden file's content, after rewriting it first when updating. */
export function golden(path: string, actual: string): string {
  if (UPDATING_GOLDEN) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
  }
  return readFileSync(path, 'utf8');
}
