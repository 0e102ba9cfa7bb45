import { splitLines } from './lines.js';

/**
 * PlantUML text that shows exactly what the author wrote. Every character other than an ASCII
 * letter, digit or space becomes a numeric character reference (`&#42;`): PlantUML decodes those
 * only when drawing, after creole markup (`**`, `//`, `--`, `""`, `[[..]]`, `<img:..>`, `~`),
 * preprocessor calls (`%name()`, `!include`), escapes (`\n`), statement syntax (`;` ends an activity, parentheses delimit conditions) and line-level
 * keywords have been recognised, so none of them can be triggered. Even "harmless" punctuation is
 * encoded: a label that is only `?`, `,` or `( )` is a syntax error in some statements. So is
 * every non-ASCII character: PlantUML rewrites some when written raw (an en dash becomes `-`),
 * and `title 🔒` is a syntax error, while their references are drawn as written.
 * Line breaks become PlantUML's `\n`.
 */
export function plantumlText(text: string): string {
  return splitLines(text).map(escapeLine).join('\\n');
}

/** A divider's title (`== … ==`): PlantUML draws no title at all when its first line is empty, so leading empty lines are left out. */
export function plantumlDividerText(text: string): string {
  const lines = splitLines(text);
  return plantumlText(
    lines
      .slice(
        Math.max(
          0,
          lines.findIndex((line) => line.trim() !== ''),
        ),
      )
      .join('\n'),
  );
}

/**
 * `plantumlText` in bold (`**`) or italics (`//`), marked line by line: creole markup does not
 * span PlantUML's `\n`, and an unclosed `**` at the start of a line is a bullet.
 */
export const plantumlBold = (text: string): string => styled(text, '**');
export const plantumlItalic = (text: string): string => styled(text, '//');

function styled(text: string, mark: string): string {
  return splitLines(text)
    .map((line) => (line === '' ? '' : `${mark}${escapeLine(line)}${mark}`))
    .join('\\n');
}

function escapeLine(line: string): string {
  let out = '';
  for (const ch of line) {
    const code = ch.codePointAt(0)!;
    out += isPlain(code) ? ch : `&#${code};`;
  }
  return out;
}

function isPlain(code: number): boolean {
  return code === 0x20 || (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}
