import { existsSync } from 'node:fs';
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
  const modules = parts.lastIndexOf('node_modules');
  if (modules < 0) return 'protoflow';
  const project = parts.slice(0, modules).join(sep) || sep;
  return existsSync(join(project, 'package.json')) ? 'npx protoflow' : 'protoflow';
}
