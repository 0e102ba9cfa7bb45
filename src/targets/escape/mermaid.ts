import { splitLines } from './lines.js';

/**
 * Characters Mermaid's sequence grammar or its HTML handling would act on: `;` ends a statement,
 * `#` starts an entity code, `%` starts comments and `%%{..}%%` directives, `<`, `>` and `&` make
 * tags (`<br>`) and entities. Each becomes a Mermaid entity code (`#59;`), which Mermaid turns back
 * into the character only in the finished SVG. The property tests show every other character
 * passes through the real parser unchanged, so the source stays readable.
 */
const SEQUENCE_SPECIAL = new Set('#;%<>&'.split(''));

/** Mermaid sequence-diagram text; line breaks become `<br/>`. */
export function mermaidSequenceText(text: string): string {
  return splitLines(text)
    .map((line) => encode(line, SEQUENCE_SPECIAL))
    .join('<br/>');
}

export function encode(line: string, special: ReadonlySet<string>): string {
  let out = '';
  for (const ch of line) out += special.has(ch) ? `#${ch.codePointAt(0)};` : ch;
  return out;
}

/**
 * Flowchart labels are quoted (`["…"]`, `-->|"…"|`) and also read as Markdown in some positions,
 * so besides the sequence set they encode quotes, backticks, `|`, every bracket, `\\`, `*`, `_`
 * and `~`. Mermaid's entity codes work in flowchart labels the same way.
 */
const FLOWCHART_SPECIAL = new Set([...SEQUENCE_SPECIAL, ...'"`|[](){}\\*_~'.split('')]);

/** Mermaid flowchart label text; line breaks become `<br/>`. */
export function mermaidFlowchartText(text: string): string {
  return splitLines(text)
    .map((line) => encode(line, FLOWCHART_SPECIAL))
    .join('<br/>');
}
