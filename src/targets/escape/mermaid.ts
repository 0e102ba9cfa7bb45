import { splitLines } from './lines.js';

/**
 * Characters Mermaid's sequence grammar or its HTML handling would act on: `;` ends a statement,
 * `#` starts an entity code, `%` starts comments and `%%{..}%%` directives, `<`, `>` and `&` make
 * tags (`<br>`) and entities. Each becomes a Mermaid entity code (`#59;`), which Mermaid turns back
 * into the character only in the finished SVG. The property tests show every other character
 * passes through the real parser unchanged, so the source stays readable.
 */
const SEQUENCE_SPECIAL = new Set('#;%<>&'.split(''));

/**
 * Mermaid sequence-diagram text; line breaks become `<br/>`. A line of nothing but spaces after the
 * first stops Mermaid drawing the diagram ("svg element not in render tree"); spaces are not drawn,
 * so it is written as an empty line.
 */
export function mermaidSequenceText(text: string): string {
  return splitLines(text)
    .map((line) => (line.trim() === '' ? '' : encode(line, SEQUENCE_SPECIAL)))
    .join('<br/>');
}

/** A sequence diagram's title, which Mermaid draws on one line (it shows `<br/>` as text): the lines joined by spaces. */
export function mermaidSequenceTitle(text: string): string {
  return mermaidSequenceText(
    splitLines(text)
      .map((line) => line.trim())
      .filter(Boolean)
      .join(' '),
  );
}

/**
 * Before parsing, Mermaid drops the last `;` of any line matching `style…:…#…;` or
 * `classDef…:…#…;`, wherever the words are, which would cut an entity code in two. Their first
 * letter becomes an entity code too, so no label matches.
 */
const STYLE_WORDS = /style|classDef/g;

export function encode(line: string, special: ReadonlySet<string>): string {
  let out = '';
  for (const ch of line) out += special.has(ch) ? `#${ch.codePointAt(0)};` : ch;
  return out.replace(STYLE_WORDS, (word) => `#${word.codePointAt(0)};${word.slice(1)}`);
}

/**
 * Flowchart labels are always quoted (`["…"]`, `-->|"…"|`), where brackets, pipes, `;` and Markdown
 * marks are plain text. What still acts: `"` ends the label, `#` starts an entity code, `%` starts
 * directives (`%%{init}%%` is found anywhere), `&`, `<` and `>` make entities and tags, `\` and
 * backticks are Markdown. Each becomes an entity code. The flowcharts are drawn with SVG-text labels,
 * where Mermaid leaves entity codes undecoded (mermaid-js/mermaid#7015); the Mermaid renderer decodes
 * them in the finished SVG (src/render/mermaid/draw.ts).
 */
const FLOWCHART_SPECIAL = new Set('"#%&<>\\`'.split(''));

/**
 * Mermaid flowchart label text. Line breaks stay line breaks inside the quotes: a node label with
 * `<br/>` is drawn through Mermaid's Markdown path, which decodes the entity codes, escapes `&` again
 * and then cuts that escape in two when it wraps a long word (`&a` | `mp;`).
 */
export function mermaidFlowchartText(text: string): string {
  return splitLines(text)
    .map((line) => encode(line, FLOWCHART_SPECIAL))
    .join('\n');
}

/**
 * A string for the YAML front matter (the flowchart's title): a JSON string is a valid YAML
 * double-quoted scalar. Mermaid rewrites the whole text before it reads the front matter (`="…"`
 * becomes `='…'` as in an HTML attribute, the `;` of `style…:#…;` is dropped), so the characters
 * those rewrites look for are written as `\uXXXX` escapes, which YAML turns back into them.
 */
export function mermaidFrontMatterString(text: string): string {
  return JSON.stringify(text).replace(/[=;#%<>&]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
