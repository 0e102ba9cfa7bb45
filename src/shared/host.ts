import { join, resolve } from 'node:path';

/**
 * What a run of protoflow works in: the folder relative paths start from and the environment
 * variables it reads (where Java and the browser are, the cache folder). Handed down from the
 * CLI's caller, never read from `process`, so that runs with different ones can share a process.
 */
export interface Host {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** A path as the user wrote it, for messages and reports, and where it is (absolute). */
export interface NamedPath {
  name: string;
  path: string;
}

/** `name` as the user wrote it, resolved against the host's working folder. */
export function namedPath(host: Pick<Host, 'cwd'>, name: string): NamedPath {
  return { name, path: resolve(host.cwd, name) };
}

/** A file `name` inside `folder`. */
export function inside(folder: NamedPath, name: string): NamedPath {
  return { name: join(folder.name, name), path: join(folder.path, name) };
}
