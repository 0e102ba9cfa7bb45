import { splitLines } from './lines.js';

/**
 * PlantUML text that shows exactly what the author wrote. Every ASCII character other than a
 * letter, digit, space or harmless punctuation, and every character beyond the BMP, becomes a numeric character reference (`&#42;`): PlantUML decodes those
 * only when drawing, after creole markup (`**`, `//`, `--`, `""`, `[[..]]`, `<img:..>`, `~`),
 * preprocessor calls (`%name()`, `!include`), escapes (`\n`) and line-level keywords have been
 * recognised, so none of them can be triggered. Line breaks become PlantUML's `\n`.
 */
export function plantumlText(text: string): string {
  return splitLines(text).map(escapeLine).join('\\n');
}

function escapeLine(line: string): string {
  let out = '';
  for (const ch of line) {
    const code = ch.codePointAt(0)!;
    out += isPlain(code) ? ch : `&#${code};`;
  }
  return out;
}

/** Punctuation PlantUML never acts on inside a label; kept as is so the source stays readable. */
const READABLE_PUNCTUATION = new Set([...'(),.:;?\''].map((c) => c.codePointAt(0)));

function isPlain(code: number): boolean {
  return (
    code === 0x20 ||
    READABLE_PUNCTUATION.has(code) ||
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    // Letters of every script stay readable; characters beyond the BMP (emoji) break some PlantUML
    // statements (`title 🔒` is a syntax error), so they are written as references too.
    (code >= 0x80 && code < 0x10000)
  );
}
