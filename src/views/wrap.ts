import stringWidth from 'string-width';

/** Characters as a reader sees them: a letter with its combining marks, an emoji with its modifiers. */
export const GRAPHEMES = new Intl.Segmenter();

export interface WrapOptions {
  /** Cut a word wider than `columns` between graphemes; else it stays whole. */
  cut?: boolean;
  /** Characters a cut falls after when the piece holds one (`/` of a URL, `_` of an identifier). */
  cutAfter?: string;
}

/**
 * Each line of `text` wrapped to `columns` between words, greedily, at plain spaces only (a
 * no-break space holds its words together); only which spaces break changes, and where a word is
 * cut. Written here because wrap-ansi normalises the text, turning an author's `e` + U+0301 into `é`.
 */
export function wrapText(text: string, columns: number, options: WrapOptions = {}): string[] {
  return text.split('\n').flatMap((line) => wrapLine(line, columns, options));
}

function wrapLine(line: string, columns: number, { cut = false, cutAfter = '' }: WrapOptions): string[] {
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
      const pieces = cutLine(current, columns, cutAfter);
      current = pieces.pop();
      lines.push(...pieces);
    }
  }
  return [...lines, current ?? ''];
}

/**
 * A line wider than `columns` in pieces that fit, cut between graphemes: after the last of
 * `cutAfter` in the second half of a piece, or earlier when the rest of the line then fits on one
 * line (`case-` | `insensitive.`, not `case-insensitive` | `.`), if any.
 */
function cutLine(line: string, columns: number, cutAfter: string): string[] {
  const graphemes = Array.from(GRAPHEMES.segment(line), ({ segment }) => segment);
  const pieces: string[] = [];
  let piece: string[] = [];
  graphemes.forEach((segment, at) => {
    if (piece.length > 0 && stringWidth(piece.join('') + segment) > columns) {
      const restFits = (i: number) => stringWidth(piece.slice(i + 1).join('') + graphemes.slice(at).join('')) <= columns;
      // Not so early that the piece is left short (a leading `/` is no place to cut), unless that saves a line.
      const after = piece.findLastIndex((g, i) => cutAfter.includes(g) && (2 * (i + 1) >= columns || restFits(i)));
      const cutAt = after === -1 ? piece.length : after + 1;
      pieces.push(piece.slice(0, cutAt).join(''));
      piece = piece.slice(cutAt);
    }
    piece.push(segment);
  });
  return [...pieces, piece.join('')];
}
