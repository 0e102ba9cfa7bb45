import { fileURLToPath } from 'node:url';

/** `templates/` at the package root, one folder per target. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));
