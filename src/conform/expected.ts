import type { FlowIR, Message, Step } from '../ir/types.js';

/** A message of the spec that a recording made at `side` can show. */
export interface ExpectedMessage {
  message: Message;
  /** Index of its phase in the flow. */
  phase: number;
  /** True when the recording side sends it, false when it receives it; undefined when either is right. */
  sent?: boolean;
}

export interface Move {
  to: number;
  expected: ExpectedMessage;
}

/**
 * The recordings a flow allows, as a nondeterministic automaton over its traced messages:
 * states are numbers, moves either consume a message or (epsilon) nothing.
 */
export interface Automaton {
  start: number;
  accept: number;
  stateCount: number;
  epsilon: readonly (readonly number[])[];
  moves: readonly (readonly Move[])[];
}

/**
 * The most states an automaton may have. A spec's own steps make a few states each; far more
 * come from parallel blocks, whose interleavings multiply their branches' states.
 */
export const MAX_STATES = 50_000;

interface Fragment {
  start: number;
  end: number;
}

/**
 * The automaton of what `side` can record of a flow, in order. Only messages with a `trace:`
 * mapping that `side` sends or receives count; actions, notes and other messages are invisible
 * to a recording. An unconditional `opt` may be left out, a `break` ends the recording after its
 * steps (or, unless decided, is left out), a `loop` happens once or more, an
 * `alt` is any one of its branches, and a `par` block is every interleaving of its branches.
 * Undefined when it would have more than MAX_STATES states.
 */
export function expectedAutomaton(flow: FlowIR, side: string, capture = false): Automaton | undefined {
  const builder = new Builder(capture);
  const phases = flow.phases.map((phase, index) => builder.sequence(phase.steps, index, side));
  const whole = builder.chain(phases);
  builder.link(whole.end, builder.finish);
  return builder.tooLarge ? undefined : builder.done(whole);
}

/** Does `side` send (true), receive (false) or both (undefined) this message, or not see it at all (null)? */
export function directionAt(message: Message, side: string): boolean | undefined | null {
  if (message.from !== side && message.to !== side) return null;
  // A lost message is sent and never arrives: its receiver never sees it.
  if (message.arrow === 'lost') return message.from === side ? true : null;
  if (message.arrow === 'both' || message.from === message.to) return undefined;
  return message.from === side;
}

class Builder {
  /** A packet capture shows the messages with display filters too; a text trace only those with names. */
  constructor(private readonly capture: boolean) {}

  epsilon: number[][] = [];
  moves: Move[][] = [];
  tooLarge = false;
  /** Where every recording ends: after the last step, or after a break that happened. */
  readonly finish = this.state();

  state(): number {
    if (this.epsilon.length >= MAX_STATES) this.tooLarge = true;
    this.epsilon.push([]);
    this.moves.push([]);
    return this.epsilon.length - 1;
  }

  link(from: number, to: number): void {
    this.epsilon[from]!.push(to);
  }

  chain(fragments: readonly Fragment[]): Fragment {
    const start = this.state();
    let end = start;
    for (const fragment of fragments) {
      this.link(end, fragment.start);
      end = fragment.end;
    }
    return { start, end };
  }

  sequence(steps: readonly Step[], phase: number, side: string): Fragment {
    return this.chain(steps.map((step) => this.step(step, phase, side)));
  }

  choice(fragments: readonly Fragment[]): Fragment {
    const start = this.state();
    const end = this.state();
    for (const fragment of fragments) {
      this.link(start, fragment.start);
      this.link(fragment.end, end);
    }
    return { start, end };
  }

  step(step: Step, phase: number, side: string): Fragment {
    switch (step.kind) {
      case 'message': {
        const sent = directionAt(step, side);
        const start = this.state();
        if (!isTraced(step, this.capture) || sent === null) return { start, end: start };
        const end = this.state();
        this.moves[start]!.push({ to: end, expected: { message: step, phase, ...(sent !== undefined ? { sent } : {}) } });
        return { start, end };
      }
      case 'opt': {
        const inside = this.sequence(step.steps, phase, side);
        this.link(inside.start, inside.end);
        return inside;
      }
      case 'loop': {
        const inside = this.sequence(step.steps, phase, side);
        this.link(inside.end, inside.start);
        return inside;
      }
      case 'group':
      case 'critical':
      case 'ref':
        return this.sequence(step.steps, phase, side);
      case 'break': {
        // It happens (its steps, then the end) or, unless decided, the flow goes on past it.
        const inside = this.sequence(step.steps, phase, side);
        this.link(inside.end, this.finish);
        if (step.condition?.length === 0) return { start: inside.start, end: this.state() };
        const past = this.state();
        this.link(past, inside.start);
        return { start: past, end: past };
      }
      case 'alt':
        return this.choice(step.branches.map((branch) => this.sequence(branch.steps, phase, side)));
      case 'par':
        return this.interleave(step.branches.map((branch) => this.sequence(branch.steps, phase, side)));
      default:
        return this.chain([]);
    }
  }

  /**
   * Every interleaving of the fragments: the product of their states, where each move advances
   * one of them. Built from the fragments' own states, which stay behind unreachable.
   */
  interleave(fragments: readonly Fragment[]): Fragment {
    const ids = new Map<string, number>();
    const pending: number[][] = [];
    const stateOf = (tuple: number[]): number => {
      const key = tuple.join(',');
      let id = ids.get(key);
      if (id === undefined) {
        id = this.state();
        ids.set(key, id);
        pending.push(tuple);
      }
      return id;
    };
    const start = stateOf(fragments.map((f) => f.start));
    const end = stateOf(fragments.map((f) => f.end));
    while (pending.length > 0 && !this.tooLarge) {
      const tuple = pending.pop()!;
      const from = stateOf(tuple);
      tuple.forEach((component, i) => {
        const moved = (to: number) => tuple.map((c, j) => (j === i ? to : c));
        // A break inside one branch ends the whole flow, not just its branch.
        for (const to of this.epsilon[component]!) this.link(from, to === this.finish ? to : stateOf(moved(to)));
        for (const move of this.moves[component]!) {
          const to = stateOf(moved(move.to));
          this.moves[from]!.push({ to, expected: move.expected });
        }
      });
    }
    return { start, end };
  }

  done(whole: Fragment): Automaton {
    return { start: whole.start, accept: this.finish, stateCount: this.epsilon.length, epsilon: this.epsilon, moves: this.moves };
  }
}

/** Does a recording show the message: has it a name in `trace:`, or, for a packet capture, a display filter? */
export function isTraced(message: Message, capture: boolean): boolean {
  return message.trace.length > 0 || (capture && (message.traceFilters?.length ?? 0) > 0);
}
