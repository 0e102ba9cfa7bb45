import type { Arrow, ColorName, Destroy, DeviationKind, FlowIR, Message, NoteSide, ParticipantKind, Step } from '../ir/types.js';
import { drawnSteps } from '../ir/steps.js';
import { messageTitle } from './message-title.js';

/**
 * The sequence view: the IR flattened into the events a sequence diagram draws, in order,
 * so that a template is a plain loop. Participants are referred to by their 1-based drawing
 * position; targets derive their own identifiers from it.
 */
export interface SequenceView {
  title: string;
  participants: SequenceParticipant[];
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

/**
 * `depth` is the nesting depth of blocks around the event, for indentation. Events drawn across
 * every participant (a phase divider, a delay, a group's label) span from `first` to `last`: the
 * participants there at that point (a participant created later is not yet).
 */
export type SequenceEvent =
  | { kind: 'phase'; depth: number; title: string; first: number; last: number }
  /** The end of a titled phase (a language may draw the phase as a band around its steps). */
  | { kind: 'endPhase'; depth: number }
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
      /** The receiver's activation bar starts at this message. */
      activates?: boolean;
      /** The sender's latest activation bar ends at this message. */
      deactivates?: boolean;
      /** A participant (position) whose lifeline ends at this message (a `destroy` step right after it). */
      destroys?: number;
      /** Right after a delay (some languages need a message between the two). */
      afterDelay?: boolean;
    }
  | { kind: 'action'; depth: number; by: number; label: string }
  | { kind: 'note'; depth: number; first: number; last: number; side: NoteSide; text: string }
  /** Time passes; `text` says how much (empty: nothing said). */
  | { kind: 'delay'; depth: number; text: string; first: number; last: number }
  /** An included flow drawn as one box over the participants from `first` to `last` (positions). */
  | { kind: 'ref'; depth: number; first: number; last: number; label: string }
  /**
   * A participant's lifeline ends with no message of its own to end at, or in a branch the flow
   * may not take (its lifeline goes on for the branches drawn after): marked, not ended.
   */
  | { kind: 'destroy'; depth: number; at: number }
  /** An activation bar ends with no message to end at: at the end of a branch, or of the diagram. */
  | { kind: 'deactivate'; depth: number; at: number; afterDelay?: boolean }
  /**
   * Blocks: `color` tints the whole block (group, loop, critical, break), `sectionColor` one branch
   * of an alt or par; `after` is the tint of the branch that ends at a `next` or `close`; `clear`
   * marks a branch without a tint after one with (a language may carry a tint on to the next branch).
   */
  | { kind: 'open'; depth: number; block: BlockKind; label: string; color?: ColorName; sectionColor?: ColorName; first: number; last: number }
  | { kind: 'next'; depth: number; block: BlockKind; label: string; sectionColor?: ColorName; after?: ColorName; clear?: boolean }
  | { kind: 'close'; depth: number; block: BlockKind; color?: ColorName; after?: ColorName };

export function sequenceView(flow: FlowIR): SequenceView {
  // A created participant whose creation is inside a collapsed include is drawn from the start.
  const inBoxes = new Set(flow.phases.flatMap((phase) => drawnSteps(phase.steps)).flatMap((step) => (step.kind === 'ref' ? step.over : [])));
  const participants = flow.participants.map(
    (p, i): SequenceParticipant => ({
      index: i + 1,
      label: p.label,
      kind: p.kind,
      ...(p.color !== undefined ? { color: p.color } : {}),
      ...groupEdges(flow, p.id),
      ...(p.created && !inBoxes.has(p.id) ? { created: true } : {}),
    }),
  );
  return { title: flow.title, participants, events: new SequenceEvents(flow, participants).build() };
}

/** A block's section being walked: whether it is the last way through its block. */
interface Section {
  final: boolean;
}

/**
 * Walks the flow in order, collecting the events. Alternatives are drawn one after another, so
 * the walk keeps the lifelines drawable: a bar ends only when it is open, a participant is created
 * once, and a lifeline ends only where no branch drawn after it can still use it.
 */
class SequenceEvents {
  private readonly events: SequenceEvent[] = [];
  private readonly position: Map<string, number>;
  /** The sections (branches, bodies) the walk is in, outermost first. */
  private readonly sections: Section[] = [];
  /** Participant position → its open bars: how many sections deep each was opened. */
  private readonly bars = new Map<number, number[]>();
  /** Participants (positions) not there yet: created later. */
  private readonly absent: Set<number>;
  private readonly destroyedAlready = new Set<number>();

  constructor(
    private readonly flow: FlowIR,
    private readonly participants: readonly SequenceParticipant[],
  ) {
    this.position = new Map(flow.participants.map((p, i) => [p.id, i + 1]));
    this.absent = new Set(participants.filter((p) => p.created).map((p) => p.index));
  }

  build(): SequenceEvent[] {
    for (const phase of this.flow.phases) {
      // A flow written as `steps:` is one phase without a title: no divider.
      if (phase.title === '') {
        this.steps(phase.steps, 0);
        continue;
      }
      this.events.push({ kind: 'phase', depth: 0, title: phase.title, ...this.span() });
      this.steps(phase.steps, 0);
      this.events.push({ kind: 'endPhase', depth: 0 });
    }
    // Bars still open (their end was in a branch drawn earlier) end with the diagram: Mermaid draws no bar that is never ended.
    this.closeBars(0, 0);
    return this.events;
  }

  private at(id: string): number {
    return this.position.get(id) ?? 0;
  }

  /** The participants there now, leftmost to rightmost. */
  private span(): { first: number; last: number } {
    const present = this.participants.map((p) => p.index).filter((index) => !this.absent.has(index));
    return { first: present[0] ?? 1, last: present.at(-1) ?? 1 };
  }

  private afterDelay(): { afterDelay?: true } {
    return this.events.at(-1)?.kind === 'delay' ? { afterDelay: true } : {};
  }

  /** Can the flow go on past every enclosing section from here, drawn as it is? */
  private onEveryWay(from = 0): boolean {
    return this.sections.slice(from).every((section) => section.final);
  }

  private steps(steps: readonly Step[], depth: number): void {
    steps.forEach((s, i) => {
      const next = steps[i + 1];
      // A destroy right after a message to or from its participant ends the lifeline at that message.
      if (s.kind === 'destroy' && endsAt(steps[i - 1], s) && this.onEveryWay()) return;
      if (s.kind === 'message') this.message(s, depth, next?.kind === 'destroy' && endsAt(s, next) ? next : undefined);
      else this.step(s, depth);
    });
  }

  /**
   * A block's sections, each steps deeper. The walk notes which sections are the last way through
   * the block (an alt's last branch, a body that always runs, a break that surely happens): a bar
   * opened outside a section that is not ends where the flow goes on after it, and a bar opened
   * inside one ends with it.
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
          ? { kind: 'open', depth, block: kind, label, ...whole, ...sectionColor, ...this.span() }
          : { kind: 'next', depth, block: kind, label, ...sectionColor, ...ending },
      );
      const final = kind === 'alt' ? i === sections.length - 1 : kind !== 'opt' && (kind !== 'break' || certain);
      this.sections.push({ final });
      this.steps(section.steps, depth + 1);
      if (!final) this.closeBars(this.sections.length, depth + 1);
      this.sections.pop();
      after = tint;
    });
    this.events.push({ kind: 'close', depth, block: kind, ...whole, ...(after !== undefined ? { after } : {}) });
  }

  /** Ends every bar opened `sections` deep or deeper. */
  private closeBars(sections: number, depth: number): void {
    for (const [at, bars] of this.bars) {
      const kept = bars.filter((opened) => opened < sections);
      for (const _ of bars.slice(kept.length)) this.events.push({ kind: 'deactivate', depth, at, ...this.afterDelay() });
      this.bars.set(at, kept);
    }
  }

  private step(s: Exclude<Step, Message>, depth: number): void {
    switch (s.kind) {
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
        this.events.push({ kind: 'delay', depth, text: s.text, ...this.span() });
        return;
      case 'destroy': {
        const at = this.at(s.participant);
        if (!this.destroyedAlready.has(at)) this.events.push({ kind: 'destroy', depth, at });
        return;
      }
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

  /** A message, and the destroy right after it, if any. */
  private message(s: Message, depth: number, destroy: Destroy | undefined): void {
    const from = this.at(s.from);
    const to = this.at(s.to);
    const creates = s.create && this.absent.has(to) ? this.participants[to - 1] : undefined;
    if (creates) this.absent.delete(to);
    // A message to itself that both ends and starts a bar leaves it as it is.
    const both = s.activate && s.deactivate && from === to;
    const deactivates = s.deactivate && !both && this.endBar(from);
    const activates = s.activate && !both && s.arrow !== 'lost';
    if (activates) this.bars.set(to, [...(this.bars.get(to) ?? []), this.sections.length]);
    // A lifeline ends where no branch drawn after this one can use it.
    const destroys = destroy && this.onEveryWay() && !this.destroyedAlready.has(this.at(destroy.participant)) ? this.at(destroy.participant) : undefined;
    if (destroys !== undefined) this.destroyedAlready.add(destroys);
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
      ...(activates ? { activates } : {}),
      ...(deactivates ? { deactivates } : {}),
      ...(destroys !== undefined ? { destroys } : {}),
      ...this.afterDelay(),
    });
    // A note attached to a message: beside its arrow, on the side the arrow points to.
    if (s.note !== undefined) this.events.push({ kind: 'note', depth, first: to, last: to, side: to < from ? 'left' : 'right', text: s.note });
  }

  /**
   * Ends the participant's latest bar, unless it was opened outside a section that is not the last
   * way through its block (an opt, a break, an alt's earlier branch): the flow can go on past that
   * section with the bar open, and ends it later. Never ends a bar that is not open (Mermaid refuses it).
   */
  private endBar(at: number): boolean {
    const bars = this.bars.get(at) ?? [];
    const bar = bars.at(-1);
    if (bar === undefined || !this.onEveryWay(bar)) return false;
    this.bars.set(at, bars.slice(0, -1));
    return true;
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
