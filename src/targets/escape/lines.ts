/**
 * Line breaks an author may write: CRLF, CR and LF from YAML, and the Unicode line and
 * paragraph separators, which diagram parsers would otherwise choke on or drop.
 */
export const LINE_BREAK = /\r\n|[\r\n\u0085\u2028\u2029]/;

export function splitLines(text: string): string[] {
  return text.split(LINE_BREAK);
}
