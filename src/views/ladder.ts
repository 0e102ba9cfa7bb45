import stringWidth from 'string-width';
import type { Arrow, FlowIR } from '../ir/types.js';
import { type SequenceEvent, sequenceView } from './sequence.js';
import { GRAPHEMES, wrapText } from './wrap.js';

/**
 * The ladder view: a sequence diagram laid out on a grid of character cells, as protocol
 * documents draw it (RFCs, code comments, terminals). Each line is a run of segments: text the
 * author wrote, or a structural glyph named by its role; the template turns glyphs into
 * characters (ASCII or box drawing), every glyph one column wide, so both fit the same width.
 */
export interface LadderView {
  lines: LadderLine[];
}

export interface LadderLine {
  segments: LadderSegment[];
}

/** Text (already in the form the target draws, measured by its display width), or `count` glyphs. */
export type LadderSegment = { text: string } | { glyph: Glyph; count: number };

export type Glyph =
  /** A lifeline, and one that is busy (an activation bar), or waiting (a delay). */
  | 'lifeline'
  | 'busy'
  | 'waiting'
  /** The body of an arrow: a request, a reply, a fire-and-forget message. */
  | 'line'
  | 'replyLine'
  | 'asyncLine'
  | 'headRight'
  | 'headLeft'
  /** Where a lost message stops. */
  | 'lost'
  /** Where a lifeline ends. */
  | 'end'
  /** A block's edges: where it opens, where a branch starts, where it closes, and its rule. */
  | 'openLeft'
  | 'openRight'
  | 'branchLeft'
  | 'branchRight'
  | 'closeLeft'
  | 'closeRight'
  | 'rule'
  /** A message to itself turns down and back. */
  | 'turnDown'
  | 'turnBack'
  /** A phase divider's rule. */
  | 'divider'
  | 'space';

export interface LadderOptions {
  /** The widest line, in columns. */
  width?: number;
  /** The author's text as the target draws it (e.g. transliterated to ASCII). */
  text?: (text: string) => string;
}

/** The widest line of an RFC: 72 columns. */
export const RFC_WIDTH = 72;

type Cell = { glyph: Glyph } | { text: string } | { covered: true };
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const SPACE: Cell = { glyph: 'space' };
/** The narrowest column of text beside a lifeline, and between two for a message's label. */
const BESIDE = 24;
const MIN_NAME = 6;
const MAX_NAME = 20;
/** "Note: " */
const NOTE_INDENT = 6;

export function ladderView(flow: FlowIR, options: LadderOptions = {}): LadderView {
  return new LadderLayout(flow, options.width ?? RFC_WIDTH, options.text ?? ((text) => text)).build();
}

/** Lays the sequence view's events out line by line, left to right. */
class LadderLayout {
  private readonly lines: Cell[][] = [];
  private readonly columns: number[];
  private readonly slot: number;
  private readonly labels: string[];
  /** Participants (positions) whose lifeline is drawn now, and how many bars each has open. */
  private readonly present = new Set<number>();
  private readonly bars = new Map<number, number>();
  private delayed = false;

  constructor(
    private readonly flow: FlowIR,
    private readonly width: number,
    private readonly text: (text: string) => string,
  ) {
    const count = flow.participants.length;
    this.labels = flow.participants.map((p) => this.text(p.label));
    // The lifelines spread over the whole width, the outer names just inside it; a name is wrapped to the room between two lifelines.
    const spread = (slot: number): number[] => {
      const widest = Math.max(1, ...this.labels.flatMap((label) => wrap(label, slot).map((line) => stringWidth(line))));
      const margin = Math.ceil(widest / 2);
      const span = width - 1 - 2 * margin;
      return flow.participants.map((_, i) => (count === 1 ? margin : margin + Math.round((i * span) / (count - 1))));
    };
    const first = Math.max(MIN_NAME, Math.min(MAX_NAME, Math.floor(width / Math.max(count, 1)) - 1));
    const columns = spread(first);
    const gap = Math.min(Infinity, ...columns.slice(1).map((x, i) => x - columns[i]!));
    this.slot = Math.max(MIN_NAME, Math.min(first, gap - 1));
    this.columns = this.slot === first ? columns : spread(this.slot);
  }

  build(): LadderView {
    const view = sequenceView(this.flow);
    if (view.title !== '') {
      for (const line of wrap(this.text(view.title), this.width)) this.textLine(Math.max(0, Math.floor((this.width - stringWidth(line)) / 2)), line);
      this.blank();
    }
    const starting = view.participants.filter((p) => !p.created).map((p) => p.index);
    this.names(starting);
    for (const index of starting) this.present.add(index);
    this.line();
    for (const event of view.events) this.event(event);
    this.line();
    return { lines: this.lines.map(segments) };
  }

  private x(position: number): number {
    return this.columns[position - 1] ?? 0;
  }

  /** A new line with the lifelines drawn. */
  private line(): Cell[] {
    const cells: Cell[] = Array.from({ length: this.width }, () => SPACE);
    for (const position of this.present) {
      const glyph: Glyph = this.delayed ? 'waiting' : (this.bars.get(position) ?? 0) > 0 ? 'busy' : 'lifeline';
      cells[this.x(position)] = { glyph };
    }
    this.lines.push(cells);
    return cells;
  }

  private blank(): void {
    this.lines.push([]);
  }

  /** Writes text from column `at`, over whatever is there; a wide character covers the next cell too. */
  private write(cells: Cell[], at: number, text: string): void {
    let column = at;
    // Printable ASCII (most protocol text) is one column a character: no need to measure.
    const ascii = PRINTABLE_ASCII.test(text);
    const graphemes = ascii ? [...text] : [...GRAPHEMES.segment(text)].map(({ segment }) => segment);
    for (const segment of graphemes) {
      const wide = ascii ? 1 : stringWidth(segment);
      if (column + wide > this.width) break;
      cells[column] = { text: segment };
      for (let i = 1; i < wide; i++) cells[column + i] = { covered: true };
      column += Math.max(wide, 1);
    }
  }

  private textLine(at: number, text: string): void {
    this.write(this.line(), at, text);
  }

  /**
   * Paragraphs of text from column `at`, over the lifelines, each wrapped to `room` columns: a
   * paragraph's first line `indent` columns in (0 for the first paragraph), its other lines `hang`.
   */
  private paragraph(at: number, room: number, texts: readonly string[], indent: number, hang: number): void {
    for (const [i, text] of texts.entries()) {
      const first = i === 0 ? 0 : indent;
      wrap(text, Math.max(room - hang, 8)).forEach((line, j) => this.textLine(at + (j === 0 ? first : hang), line));
    }
  }

  /**
   * Where text beside a lifeline goes: right of it up to the next lifeline, else left of it down to
   * the one before, else (lifelines too close) right of it over the others, to the edge.
   */
  private beside(position: number): { at: number; room: number } {
    const x = this.x(position);
    const others = [...this.present].map((p) => this.x(p));
    const right = Math.min(this.width, ...others.filter((other) => other > x)) - x - 3;
    if (right >= BESIDE) return { at: x + 2, room: right };
    const left = x - Math.max(-1, ...others.filter((other) => other < x)) - 3;
    if (left >= BESIDE) return { at: x - 1 - left, room: left };
    const edge = this.width - x - 3;
    return edge >= BESIDE ? { at: x + 2, room: edge } : { at: Math.max(0, x - 1 - BESIDE), room: Math.min(BESIDE, x - 1) };
  }

  /** Participant names over their lifelines, each wrapped to its slot. */
  private names(positions: readonly number[]): void {
    const wrapped = positions.map((position) => ({ position, lines: wrap(this.labels[position - 1] ?? '', this.slot - 1) }));
    const height = Math.max(0, ...wrapped.map((w) => w.lines.length));
    for (let row = 0; row < height; row++) {
      const cells = this.line();
      for (const { position, lines } of wrapped) {
        const text = lines[row];
        if (text === undefined) continue;
        const start = Math.max(0, Math.min(this.width - stringWidth(text), this.x(position) - Math.floor(stringWidth(text) / 2)));
        this.write(cells, start, text);
      }
    }
  }

  private event(event: SequenceEvent): void {
    switch (event.kind) {
      case 'phase': {
        this.line();
        const title = ` ${this.text(event.title)} `;
        const cells = this.line();
        for (let i = 0; i < this.width; i++) cells[i] = { glyph: 'divider' };
        this.write(cells, Math.max(2, Math.floor((this.width - stringWidth(title)) / 2)), title);
        this.line();
        return;
      }
      case 'endPhase':
        // The next divider, or the end, shows where a phase ends.
        return;
      case 'message':
        this.message(event);
        return;
      case 'action': {
        const { at, room } = this.beside(event.by);
        this.paragraph(
          at,
          room,
          this.text(event.label)
            .split('\n')
            .map((line, i, all) => `${i === 0 ? '[' : ''}${line}${i === all.length - 1 ? ']' : ''}`),
          1,
          1,
        );
        return;
      }
      case 'note': {
        const { at, room } = this.beside(event.first);
        const [first = '', ...rest] = this.text(event.text).split('\n');
        this.paragraph(at, room, [`Note: ${first}`, ...rest], NOTE_INDENT, NOTE_INDENT);
        return;
      }
      case 'delay': {
        this.delayed = true;
        const text = event.text === '' ? '' : `(${this.text(event.text)})`;
        const cells = this.line();
        if (text !== '') this.write(cells, Math.max(0, Math.floor((this.width - stringWidth(text)) / 2)), text);
        this.line();
        this.delayed = false;
        return;
      }
      case 'ref': {
        const left = Math.max(0, this.x(event.first) - 2);
        const right = Math.min(this.width - 1, this.x(event.last) + 2);
        this.rule(left, right, `ref: ${this.text(event.label)}`, 'open');
        this.rule(left, right, '', 'close');
        return;
      }
      case 'destroy': {
        const cells = this.line();
        cells[this.x(event.at)] = { glyph: 'end' };
        return;
      }
      case 'deactivate':
        this.bars.set(event.at, Math.max(0, (this.bars.get(event.at) ?? 0) - 1));
        return;
      case 'open':
        this.rule(event.depth, this.width - 1 - event.depth, `${event.block}${event.label ? `: ${this.text(event.label)}` : ''}`, 'open');
        return;
      case 'next':
        this.rule(
          event.depth,
          this.width - 1 - event.depth,
          `${event.block === 'par' ? 'and' : 'else'}${event.label ? `: ${this.text(event.label)}` : ''}`,
          'branch',
        );
        return;
      case 'close':
        this.rule(event.depth, this.width - 1 - event.depth, '', 'close');
        return;
    }
  }

  /** A horizontal rule from `left` to `right` between its two ends, a label after the first (wrapped below when long). */
  private rule(left: number, right: number, label: string, ends: 'open' | 'branch' | 'close'): void {
    const cells = this.line();
    for (let i = left; i <= right; i++) cells[i] = { glyph: 'rule' };
    cells[left] = { glyph: `${ends}Left` };
    cells[right] = { glyph: `${ends}Right` };
    if (label === '') return;
    const [first = '', ...rest] = wrap(label, right - left - 4);
    this.write(cells, left + 2, `[${first}]`);
    for (const line of rest) this.textLine(left + 3, line);
  }

  private message(event: Extract<SequenceEvent, { kind: 'message' }>): void {
    const from = this.x(event.from);
    const to = this.x(event.to);
    if (event.creates) {
      this.names([event.to]);
      this.present.add(event.to);
    }
    const texts = [
      this.text(event.title),
      ...event.details.map((detail) => this.text(detail)),
      ...(event.encrypted !== undefined ? [`(encrypted by ${this.text(event.encrypted)})`] : []),
    ];
    // The label stays between the two lifelines when there is room, else runs on to the edge.
    const at = Math.min(from, to) + 3;
    const between = Math.abs(to - from) - 4;
    const [title = '', ...rest] = texts;
    this.paragraph(at, between >= BESIDE ? between : this.width - at, [...title.split('\n'), ...rest.flatMap((t) => t.split('\n'))], 2, 2);
    if (from === to) this.selfArrow(from, event.arrow);
    else this.arrow(from, to, event.arrow);
    if (event.deactivates) this.bars.set(event.from, Math.max(0, (this.bars.get(event.from) ?? 0) - 1));
    this.line();
    if (event.activates) this.bars.set(event.to, (this.bars.get(event.to) ?? 0) + 1);
    if (event.destroys !== undefined) {
      const cells = this.line();
      cells[this.x(event.destroys)] = { glyph: 'end' };
      this.present.delete(event.destroys);
    }
  }

  private arrow(from: number, to: number, arrow: Arrow): void {
    const cells = this.line();
    const body: Glyph = arrow === 'reply' ? 'replyLine' : arrow === 'async' ? 'asyncLine' : 'line';
    const step = to > from ? 1 : -1;
    for (let i = from + step; i !== to; i += step) cells[i] = { glyph: body };
    if (arrow === 'lost') {
      cells[to - step] = { glyph: 'lost' };
      return;
    }
    cells[to - step] = { glyph: step > 0 ? 'headRight' : 'headLeft' };
    if (arrow === 'both') cells[from + step] = { glyph: step > 0 ? 'headLeft' : 'headRight' };
  }

  /** A message to itself: out to the right, down, and back. */
  private selfArrow(at: number, arrow: Arrow): void {
    const body: Glyph = arrow === 'reply' ? 'replyLine' : 'line';
    const out = this.line();
    for (let i = at + 1; i < at + 4 && i < this.width; i++) out[i] = { glyph: body };
    if (at + 4 < this.width) out[at + 4] = { glyph: 'turnDown' };
    const back = this.line();
    back[at + 1] = { glyph: 'headLeft' };
    for (let i = at + 2; i < at + 4 && i < this.width; i++) back[i] = { glyph: body };
    if (at + 4 < this.width) back[at + 4] = { glyph: 'turnBack' };
  }
}

/** Text wrapped at word boundaries to `columns` (a longer word is cut), line breaks kept. */
function wrap(text: string, columns: number): string[] {
  return wrapText(text, Math.max(columns, 1), { cut: true });
}

/** A line's cells as segments, trailing spaces dropped. */
function segments(cells: readonly Cell[]): LadderLine {
  let end = cells.length;
  while (end > 0 && 'glyph' in cells[end - 1]! && (cells[end - 1] as { glyph: Glyph }).glyph === 'space') end--;
  const out: LadderSegment[] = [];
  for (const cell of cells.slice(0, end)) {
    if ('covered' in cell) continue;
    const last = out.at(-1);
    if ('text' in cell) {
      if (last && 'text' in last) last.text += cell.text;
      else out.push({ text: cell.text });
    } else if (last && 'glyph' in last && last.glyph === cell.glyph) last.count++;
    else out.push({ glyph: cell.glyph, count: 1 });
  }
  return { segments: out };
}
