import { splitLines } from './lines.js';

/**
 * ASCII punctuation that inline Markdown acts on: emphasis and code (`* _ ~ \``), links and images
 * (`[ ] ! < >`), HTML and entities (`< > &`), the table's cell separator (`|`), and GitHub's own
 * additions: math (`$`), emoji (`:+1:`), mentions (`@`) and issue references (`#`). CommonMark
 * turns a backslash before any ASCII punctuation back into that character, so each gets one.
 */
const INLINE_SPECIAL = /[\\`*_~[\]!<>&|$:@#{}]/g;

/** Text for one Markdown table cell, shown as written; line breaks become `<br>`. */
export function markdownCell(text: string): string {
  return splitLines(text)
    .map((line) => line.replace(INLINE_SPECIAL, (ch) => `\\${ch}`))
    .join('<br>');
}
