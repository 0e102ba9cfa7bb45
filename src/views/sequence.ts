import type { Arrow, ColorName, DeviationKind, FlowIR, NoteSide, ParticipantKind, Step } from '../ir/types.js';
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
}

export type BlockKind = 'alt' | 'opt' | 'loop' | 'par' | 'group' | 'critical';

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
    }
  | { kind: 'action'; depth: number; by: number; label: string }
  | { kind: 'note'; depth: number; first: number; last: number; side: NoteSide; text: string }
  /** Time passes; `text` says how much (empty: nothing said). */
  | { kind: 'delay'; depth: number; text: string }
  /** An included flow drawn as one box over the participants from `first` to `last` (positions). */
  | { kind: 'ref'; depth: number; first: number; last: number; label: string }
  | { kind: 'open'; depth: number; block: BlockKind; label: string; color?: ColorName }
  | { kind: 'next'; depth: number; block: BlockKind; label: string; color?: ColorName }
  | { kind: 'close'; depth: number; block: BlockKind; color?: ColorName };

export function sequenceView(flow: FlowIR): SequenceView {
  const position = new Map(flow.participants.map((p, i) => [p.id, i + 1]));
  const at = (id: string): number => position.get(id) ?? 0;
  const events: SequenceEvent[] = [];

  const block = (kind: BlockKind, depth: number, sections: { label: string; steps: Step[] }[], color?: ColorName) => {
    const tint = color !== undefined ? { color } : {};
    sections.forEach((section, i) => {
      events.push({ kind: i === 0 ? 'open' : 'next', depth, block: kind, label: section.label, ...tint });
      for (const s of section.steps) step(s, depth + 1);
    });
    events.push({ kind: 'close', depth, block: kind, ...tint });
  };

  const step = (s: Step, depth: number): void => {
    switch (s.kind) {
      case 'message':
        events.push({
          kind: 'message',
          depth,
          from: at(s.from),
          to: at(s.to),
          arrow: s.arrow,
          title: messageTitle(s),
          details: s.fields,
          ...(s.encrypted !== undefined ? { encrypted: s.encrypted } : {}),
          abstract: s.abstract,
          ...(s.deviation !== undefined ? { deviation: s.deviation } : {}),
        });
        // A note attached to a message: beside its arrow, on the side the arrow points to.
        if (s.note !== undefined) {
          const to = at(s.to);
          events.push({ kind: 'note', depth, first: to, last: to, side: to < at(s.from) ? 'left' : 'right', text: s.note });
        }
        return;
      case 'action':
        events.push({ kind: 'action', depth, by: at(s.by), label: s.label });
        return;
      case 'ref': {
        const positions = s.over.map(at);
        events.push({ kind: 'ref', depth, first: Math.min(...positions), last: Math.max(...positions), label: s.label });
        return;
      }
      case 'note': {
        const positions = s.at.map(at);
        events.push({
          kind: 'note',
          depth,
          first: Math.min(...positions),
          last: Math.max(...positions),
          side: s.side,
          text: s.text,
        });
        return;
      }
      case 'delay':
        events.push({ kind: 'delay', depth, text: s.text });
        return;
      case 'alt':
      case 'par':
        block(s.kind, depth, s.branches);
        return;
      case 'opt':
        block(s.kind, depth, [s]);
        return;
      case 'loop':
      case 'group':
      case 'critical':
        block(s.kind, depth, [s], s.color);
        return;
    }
  };

  for (const phase of flow.phases) {
    // A flow written as `steps:` is one phase without a title: no divider.
    if (phase.title !== '') events.push({ kind: 'phase', depth: 0, title: phase.title });
    for (const s of phase.steps) step(s, 0);
  }
  return {
    title: flow.title,
    participants: flow.participants.map((p, i) => ({
      index: i + 1,
      label: p.label,
      kind: p.kind,
      ...(p.color !== undefined ? { color: p.color } : {}),
      ...groupEdges(flow, p.id),
    })),
    lastParticipant: flow.participants.length,
    events,
  };
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
