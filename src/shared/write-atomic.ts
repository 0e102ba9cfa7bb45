import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, parse } from 'node:path';

/** Temporary files start so, with the writer's pid: short, so a long output name still fits in 255 bytes. */
export const TEMPORARY_PREFIX = '.protoflow-tmp-';

/**
 * Writes through a temporary file in the same folder and renames it: readers never see half a
 * file. A symbolic link is written through to the file it names (the link stays a link), and a
 * file that exists keeps its permissions (a 0600 file is not widened to 0644).
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  await makeFolder(dirname(path));
  // A link to a file that is missing, or a loop, is replaced like a missing file.
  const target = await realpath(path).catch(() => path);
  const existing = await stat(target).catch(() => undefined);
  const temporary = join(dirname(target), `${TEMPORARY_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(temporary, content, { flag: 'wx' });
    if (existing?.isFile()) await chmod(temporary, existing.mode & 0o7777);
    await rename(temporary, target);
  } catch (cause) {
    await rm(temporary, { force: true });
    throw cause;
  }
}

/**
 * `mkdir -p`, one folder at a time from the deepest that exists: Node's recursive mkdir spins for
 * ever on some paths under /proc, where this fails at once.
 */
export async function makeFolder(folder: string): Promise<void> {
  const missing: string[] = [];
  let at = folder;
  while (!(await stat(at).catch(() => undefined)) && at !== parse(at).root) {
    missing.unshift(at);
    at = dirname(at);
  }
  for (const dir of missing)
    await mkdir(dir).catch(async (cause: unknown) => {
      if (!(await stat(dir).catch(() => undefined))?.isDirectory()) throw cause;
    });
}

/** Removes the temporary files that writers killed before their rename left in `folder`. */
export async function removeStaleTemporaries(folder: string): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(/^\.protoflow-tmp-(\d+)-/.exec(name)?.[1] ?? Number.NaN);
    if (Number.isInteger(pid) && !isRunning(pid)) await rm(join(folder, name), { force: true });
  }
}

/** True while a process with this pid exists (one of another user's counts as running). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (cause) {
    return cause instanceof Error && 'code' in cause && cause.code === 'EPERM';
  }
}
