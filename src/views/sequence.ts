import type { Arrow, ColorName, Destroy, DeviationKind, FlowIR, Message, NoteSide, ParticipantKind, Step } from '../ir/types.js';
import { messageTitle } from './message-title.js';

/**
 * The sequence view: the IR flattened into the events a sequence diagram draws, in order,
 * so that a template is a plain loop. Participants are referred to by their 1-based drawing
 * position; targets derive their own identifiers from it.
 */
export interface SequenceView {
  title: string;
  participants: SequenceParticipant[];
  /** Position of the last participant, for things drawn across all of them. */
  lastParticipant: number;
  events: SequenceEvent[];
}

export interface SequenceParticipant {
  index: number;
  label: string;
  kind: ParticipantKind;
  color?: ColorName;
  /** On the first member of a group: the box drawn around the group's participants. */
  opens?: { label: string; color?: ColorName };
  /** On the last member of a group: the box ends after it. */
  closes?: boolean;
  /** In a group (whose box is the only one a Mermaid participant can have). */
  grouped?: boolean;
  /** Not there from the start: declared where a message creates it (in a group, its box holds it from the start). */
  created?: boolean;
}

export type BlockKind = 'alt' | 'opt' | 'loop' | 'par' | 'group' | 'critical' | 'break';

/** `depth` is the nesting depth of blocks around the event, for indentation. */
export type SequenceEvent =
  | { kind: 'phase'; depth: number; title: string }
  | {
      kind: 'message';
      depth: number;
      from: number;
      to: number;
      arrow: Arrow;
      /** The label with its protocol code, e.g. "Client Hello (1)". */
      title: string;
      details: string[];
      encrypted?: string;
      abstract: boolean;
      /** Only in a drawing of a recording (protoflow conform). */
      deviation?: DeviationKind;
      /** The participant this message creates: its lifeline starts here. */
      creates?: SequenceParticipant;
      /** Participants (positions) whose lifelines end right after this message (a `destroy` step that follows it). */
      destroys?: number[];
    }
  /** A participant's lifeline ends here, with no message of its own to end at. */
  | { kind: 'destroy'; depth: number; at: number }
  /** An activation bar starts (after a message the participant received) or ends (after one it sent). */
  | { kind: 'activate'; depth: number; at: number }
  | { kind: 'deactivate'; depth: number; at: number }
  | { kind: 'action'; depth: number; by: number; label: string }
  | { kind: 'note'; depth: number; first: number; last: number; side: NoteSide; text: string }
  /** Time passes; `text` says how much (empty: nothing said). */
  | { kind: 'delay'; depth: number; text: string }
  /** An included flow drawn as one box over the participants from `first` to `last` (positions). */
  | { kind: 'ref'; depth: number; first: number; last: number; label: string }
  /**
   * Blocks: `color` tints the whole block (group, loop, critical, break), `sectionColor` one branch
   * of an alt or par; `after` is the tint of the branch that ends at a `next` or `close`; `clear`
   * marks a branch without a tint after one with (a language may carry a tint on to the next branch).
   */
  | { kind: 'open'; depth: number; block: BlockKind; label: string; color?: ColorName; sectionColor?: ColorName }
  | { kind: 'next'; depth: number; block: BlockKind; label: string; sectionColor?: ColorName; after?: ColorName; clear?: boolean }
  | { kind: 'close'; depth: number; block: BlockKind; color?: ColorName; after?: ColorName };

export function sequenceView(flow: FlowIR): SequenceView {
  const participants = flow.participants.map(
    (p, i): SequenceParticipant => ({
      index: i + 1,
      label: p.label,
      kind: p.kind,
      ...(p.color !== undefined ? { color: p.color } : {}),
      ...groupEdges(flow, p.id),
      ...(p.created ? { created: true } : {}),
    }),
  );
  return { title: flow.title, participants, lastParticipant: flow.participants.length, events: new SequenceEvents(flow, participants).build() };
}

/** Walks the flow in order, collecting the events; keeps the drawing valid where alternatives are drawn one after another. */
class SequenceEvents {
  private readonly events: SequenceEvent[] = [];
  private readonly position: Map<string, number>;
  /** The sections (branches, bodies) the walk is in, outermost first: whether each is the last way through its block. */
  private readonly sections: boolean[] = [];
  /** Participant position → its open bars: how many sections deep each was opened. */
  private readonly bars = new Map<number, number[]>();
  /** Alternatives are drawn one after another: a participant is created, and destroyed, where it first is. */
  private readonly createdAlready = new Set<string>();
  private readonly destroyedAlready = new Set<string>();

  constructor(
    private readonly flow: FlowIR,
    private readonly participants: readonly SequenceParticipant[],
  ) {
    this.position = new Map(flow.participants.map((p, i) => [p.id, i + 1]));
  }

  build(): SequenceEvent[] {
    for (const phase of this.flow.phases) {
      // A flow written as `steps:` is one phase without a title: no divider.
      if (phase.title !== '') this.events.push({ kind: 'phase', depth: 0, title: phase.title });
      this.steps(phase.steps, 0);
    }
    // Bars still open (their end was in a branch drawn earlier) end with the diagram: Mermaid draws no bar that is never ended.
    for (const [at, bars] of this.bars) for (const _ of bars) this.events.push({ kind: 'deactivate', depth: 0, at });
    return this.events;
  }

  private at(id: string): number {
    return this.position.get(id) ?? 0;
  }

  private steps(steps: readonly Step[], depth: number): void {
    steps.forEach((s, i) => {
      const next = steps[i + 1];
      // A destroy right after a message to or from its participant ends the lifeline at that message.
      if (s.kind === 'destroy' && endsAt(steps[i - 1], s)) return;
      this.step(s, depth, next?.kind === 'destroy' && endsAt(s, next) && this.firstEnd(next) ? [this.at(next.participant)] : []);
    });
  }

  /**
   * A block's sections, each steps deeper. The walk notes which sections are the last way through
   * the block (an alt's last branch, a body that always runs, a break that surely happens): a bar
   * opened outside a section that is not ends where the flow goes on after it.
   */
  private block(
    kind: BlockKind,
    depth: number,
    sections: readonly { label: string; steps: readonly Step[]; color?: ColorName }[],
    color?: ColorName,
    certain = false,
  ): void {
    const branched = kind === 'alt' || kind === 'par';
    const whole = color !== undefined ? { color } : {};
    let after: ColorName | undefined;
    let tinted = false;
    sections.forEach((section, i) => {
      // An empty branch has nothing to tint.
      const tint = branched && section.color !== undefined && section.steps.length > 0 ? section.color : undefined;
      const sectionColor = tint !== undefined ? { sectionColor: tint } : tinted ? { clear: true } : {};
      tinted ||= tint !== undefined;
      const ending = after !== undefined ? { after } : {};
      const { label } = section;
      this.events.push(
        i === 0
          ? { kind: 'open', depth, block: kind, label, ...whole, ...sectionColor }
          : { kind: 'next', depth, block: kind, label, ...sectionColor, ...ending },
      );
      this.sections.push(kind === 'alt' ? i === sections.length - 1 : kind !== 'opt' && (kind !== 'break' || certain));
      this.steps(section.steps, depth + 1);
      this.sections.pop();
      after = tint;
    });
    this.events.push({ kind: 'close', depth, block: kind, ...whole, ...(after !== undefined ? { after } : {}) });
  }

  private step(s: Step, depth: number, destroys: number[]): void {
    switch (s.kind) {
      case 'message':
        this.message(s, depth, destroys);
        return;
      case 'action':
        this.events.push({ kind: 'action', depth, by: this.at(s.by), label: s.label });
        return;
      case 'ref': {
        const positions = s.over.map((id) => this.at(id));
        this.events.push({ kind: 'ref', depth, first: Math.min(...positions), last: Math.max(...positions), label: s.label });
        return;
      }
      case 'note': {
        const positions = s.at.map((id) => this.at(id));
        this.events.push({ kind: 'note', depth, first: Math.min(...positions), last: Math.max(...positions), side: s.side, text: s.text });
        return;
      }
      case 'delay':
        this.events.push({ kind: 'delay', depth, text: s.text });
        return;
      case 'destroy':
        if (this.firstEnd(s)) this.events.push({ kind: 'destroy', depth, at: this.at(s.participant) });
        return;
      case 'alt':
      case 'par':
        this.block(s.kind, depth, s.branches);
        return;
      case 'opt':
        this.block(s.kind, depth, [s]);
        return;
      case 'loop':
      case 'group':
      case 'critical':
        this.block(s.kind, depth, [s], s.color);
        return;
      case 'break':
        this.block(s.kind, depth, [s], s.color, s.condition?.length === 0);
        return;
    }
  }

  private firstEnd(destroy: Destroy): boolean {
    if (this.destroyedAlready.has(destroy.participant)) return false;
    this.destroyedAlready.add(destroy.participant);
    return true;
  }

  private message(s: Message, depth: number, destroys: number[]): void {
    const from = this.at(s.from);
    const to = this.at(s.to);
    const creates = s.create && !this.createdAlready.has(s.to) ? this.participants[to - 1] : undefined;
    if (creates) this.createdAlready.add(s.to);
    this.events.push({
      kind: 'message',
      depth,
      from,
      to,
      arrow: s.arrow,
      title: messageTitle(s),
      details: s.fields,
      ...(s.encrypted !== undefined ? { encrypted: s.encrypted } : {}),
      abstract: s.abstract,
      ...(s.deviation !== undefined ? { deviation: s.deviation } : {}),
      ...(creates ? { creates } : {}),
      ...(destroys.length > 0 ? { destroys } : {}),
    });
    // A note attached to a message: beside its arrow, on the side the arrow points to.
    if (s.note !== undefined) this.events.push({ kind: 'note', depth, first: to, last: to, side: to < from ? 'left' : 'right', text: s.note });
    // A message to itself that both ends and starts an activation leaves the bar as it is.
    if (s.activate && s.deactivate && from === to) return;
    if (s.deactivate) this.deactivate(from, depth);
    if (s.activate) {
      this.bars.set(to, [...(this.bars.get(to) ?? []), this.sections.length]);
      this.events.push({ kind: 'activate', depth, at: to });
    }
  }

  /**
   * Ends the participant's latest bar, unless it was opened outside a section that is not the last
   * way through its block (an opt, a break, an alt's earlier branch): the flow can go on past that
   * section with the bar open, and ends it later. Never ends a bar that is not open (Mermaid refuses it).
   */
  private deactivate(at: number, depth: number): void {
    const bars = this.bars.get(at) ?? [];
    const bar = bars.at(-1);
    if (bar === undefined || this.sections.slice(bar).some((final) => !final)) return;
    this.bars.set(at, bars.slice(0, -1));
    this.events.push({ kind: 'deactivate', depth, at });
  }
}

function endsAt(step: Step | undefined, destroy: Destroy): boolean {
  return step?.kind === 'message' && (step.from === destroy.participant || step.to === destroy.participant);
}

/** Where a participant stands in its group, if it has one: the box opens before its first member and closes after its last. */
export function groupEdges(flow: Pick<FlowIR, 'groups'>, participant: string): Pick<SequenceParticipant, 'opens' | 'closes' | 'grouped'> {
  const group = flow.groups.find((g) => g.members.includes(participant));
  if (!group) return {};
  return {
    grouped: true,
    ...(group.members[0] === participant ? { opens: { label: group.label, ...(group.color !== undefined ? { color: group.color } : {}) } } : {}),
    ...(group.members.at(-1) === participant ? { closes: true } : {}),
  };
}
