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

/** A link destination that stays one: characters that would end or split it are percent-encoded. */
export function markdownUrl(path: string): string {
  return path.replace(/[ ()<>\\]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** The backtick fence for a code block holding `text`: longer than any run of backticks in it. */
export function markdownFence(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}
