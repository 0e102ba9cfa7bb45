/**
 * Text outputs are equal when they differ only in line endings: a Windows checkout (Git's
 * `core.autocrlf`) holds the same file with CRLF, which is neither stale nor worth rewriting.
 */
export function sameText(a: string, b: string): boolean {
  return a === b || a.replaceAll('\r\n', '\n') === b.replaceAll('\r\n', '\n');
}
