import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Host } from './host.js';

/** True for an existing regular file this process may execute. */
export function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The names a program may have on disk: on Windows with each of PATHEXT's endings (`java.exe`). */
export function programFiles(name: string, env: Host['env'], platform: NodeJS.Platform = process.platform): string[] {
  if (platform !== 'win32') return [name];
  const endings = (env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean);
  return [name, ...endings.flatMap((ending) => [`${name}${ending.toLowerCase()}`, `${name}${ending}`])];
}

/** The first `name` on PATH, as a shell would find it. */
export function findOnPath(name: string, env: Host['env'], platform: NodeJS.Platform = process.platform): string | undefined {
  const files = programFiles(name, env, platform);
  return (env.PATH ?? '')
    .split(platform === 'win32' ? ';' : delimiter)
    .filter(Boolean)
    .flatMap((dir) => files.map((file) => join(dir, file)))
    .find(isExecutableFile);
}
