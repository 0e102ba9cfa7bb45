import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { failureReason } from '../diagnostics/diagnostic.js';

/** Where an include leads: the file to read, or why it may not be read (`file`: the file it would be, when inside the root). */
export type IncludeTarget = { file: string; real: string } | { problem: 'outside' | 'not-found'; message: string; hint?: string; file?: string };

export const SPEC_FILE = /\.ya?ml$/;

/** What leads to the spec, for messages: an include step, or a Markdown region that embeds it. */
export interface Reference {
  verb: string;
  done: string;
  /** How its path is written. */
  from: string;
  /** What the root is. */
  root: string;
}
export const INCLUDE: Reference = { verb: 'include', done: 'included', from: 'an include path is relative to the including file', root: 'the spec root' };
export const EMBED: Reference = { verb: 'embed', done: 'embedded', from: 'a region names its spec relative to the Markdown file', root: 'the project' };

/** True when `path` is `folder` or lies inside it (both absolute, symbolic links resolved or not alike). */
export function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * Resolves the file part of an `include` against the including file's folder (both with their
 * symbolic links resolved) and keeps it inside `root`: an absolute path, a path that climbs out of
 * the root, and a path whose symbolic links lead out of it are refused, the first two before the
 * file system is asked anything. Only spec files (`.yaml`, `.yml`) are read.
 */
export function resolveIncludePath(
  written: string,
  includingFile: string,
  root: string,
  /** The working folder: paths in messages are relative to it. */
  cwd: string,
  reference: Reference = INCLUDE,
): IncludeTarget {
  const { verb, done } = reference;
  // The working folder itself reads better as its path than as ".".
  const rootName = relative(cwd, root) === '' ? root : display(root, cwd);
  if (written.includes('\\')) {
    return {
      problem: 'not-found',
      message: `cannot ${verb} "${written}": paths are written with "/", on every system`,
      hint: `write "${written.replaceAll('\\', '/')}"`,
    };
  }
  if (isAbsolute(written)) {
    return {
      problem: 'outside',
      message: `cannot ${verb} "${written}": ${reference.from}, not absolute`,
      hint: `write it relative to ${display(dirname(includingFile), cwd)}`,
    };
  }
  const file = resolve(dirname(includingFile), written);
  if (!isInside(file, root)) {
    return { problem: 'outside', message: `cannot ${verb} "${written}": it is outside ${reference.root} ${rootName}` };
  }
  if (!SPEC_FILE.test(file)) {
    const withExtension = ['.yaml', '.yml'].find((ext) => existsSync(`${file}${ext}`));
    return {
      problem: 'not-found',
      message: `cannot ${verb} "${written}": only specs are ${done}, and a spec's name ends in .yaml or .yml`,
      ...(withExtension ? { hint: `did you mean "${written}${withExtension}"?` } : {}),
    };
  }
  let real: string;
  try {
    real = realpathSync(file);
  } catch (cause) {
    const reason = failureReason(cause) === 'ENOENT' ? 'does not exist' : `cannot be read (${failureReason(cause)})`;
    return { problem: 'not-found', message: `cannot ${verb} "${written}": ${display(file, cwd)} ${reason}`, file };
  }
  if (!isInside(real, root)) {
    return {
      problem: 'outside',
      message: `cannot ${verb} "${written}": it leads through a symbolic link to ${real}, outside ${reference.root} ${rootName}`,
    };
  }
  // A FIFO or a device would hang the read, or never end.
  if (!statSync(real).isFile()) return { problem: 'not-found', message: `cannot ${verb} "${written}": ${display(file, cwd)} is not a regular file` };
  return { file, real };
}

/** The path with its symbolic links resolved, or as it is when it does not exist. */
export function realOrAsIs(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** A path as diagnostics show it: relative to the working folder when inside it. */
export function display(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : isInside(path, cwd) ? rel : path;
}
