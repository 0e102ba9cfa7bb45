import { existsSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** protoflow's own package folder. */
const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));

/**
 * How the user runs protoflow, for the commands hints suggest: `npx protoflow` when it is installed
 * in a project's node_modules (a folder with a package.json beside it), else `protoflow` (a global
 * install, or this repository).
 */
export function commandName(packageDir = PACKAGE_DIR): string {
  const parts = packageDir.split(sep);
  // The outermost: pnpm keeps packages in node_modules/.pnpm/NAME@VERSION/node_modules/NAME.
  const modules = parts.indexOf('node_modules');
  if (modules < 0) return 'protoflow';
  const project = parts.slice(0, modules).join(sep) || sep;
  return existsSync(join(project, 'package.json')) ? 'npx protoflow' : 'protoflow';
}

/** protoflow's own package.json, as far as the CLI reads it. */
export function ownManifest(): { version: string; engines: { node: string } } {
  return JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string; engines: { node: string } };
}
