import stringWidth from 'string-width';

/** Characters as a reader sees them: a letter with its combining marks, an emoji with its modifiers. */
export const GRAPHEMES = new Intl.Segmenter();

/**
 * Each line of `text` wrapped to `columns` between words, greedily, at plain spaces only (a
 * no-break space holds its words together); only which spaces break changes. A word wider than
 * `columns` stays whole, or with `cut` is cut between graphemes. Written here because wrap-ansi
 * normalises the text, turning an author's `e` + U+0301 into `é`.
 */
export function wrapText(text: string, columns: number, { cut = false } = {}): string[] {
  return text.split('\n').flatMap((line) => wrapLine(line, columns, cut));
}

function wrapLine(line: string, columns: number, cut: boolean): string[] {
  if (stringWidth(line) <= columns) return [line];
  const lines: string[] = [];
  let current: string | undefined;
  for (const word of line.split(' ')) {
    if (current === undefined) current = word;
    else if (current !== '' && stringWidth(current) + 1 + stringWidth(word) > columns) {
      lines.push(current);
      current = word;
    } else current += ` ${word}`;
    // A word too long for a line of its own is cut, and the next word may follow its last piece.
    if (cut && stringWidth(current) > columns) {
      const pieces = cutLine(current, columns);
      current = pieces.pop();
      lines.push(...pieces);
    }
  }
  return [...lines, current ?? ''];
}

/** A line wider than `columns` in pieces that fit, cut between graphemes. */
function cutLine(line: string, columns: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const { segment } of GRAPHEMES.segment(line)) {
    if (piece !== '' && stringWidth(piece + segment) > columns) {
      pieces.push(piece);
      piece = '';
    }
    piece += segment;
  }
  return [...pieces, piece];
}
