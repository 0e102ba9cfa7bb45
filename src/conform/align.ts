import type { TraceEvent } from '../trace/trace.js';
import type { Automaton, ExpectedMessage, Move } from './expected.js';
import { matchesAny } from './pattern.js';

/** One step of an alignment of a recording with what a flow expects, in recording order. */
export type AlignedStep =
  | { kind: 'match'; event: TraceEvent; expected: ExpectedMessage }
  | { kind: 'wrong-direction'; event: TraceEvent; expected: ExpectedMessage }
  | { kind: 'unexpected'; event: TraceEvent }
  | { kind: 'missing'; expected: ExpectedMessage };

export interface Alignment {
  /** The number of steps that are not matches: 0 when the recording is one the flow allows. */
  cost: number;
  steps: AlignedStep[];
}

/** Does the event show this expected message, by name or (a packet) by a display filter, whichever way it went? */
export function showsName(event: TraceEvent, expected: ExpectedMessage): boolean {
  const { trace, traceFilters } = expected.message;
  return matchesAny(trace, event.name) || (traceFilters !== undefined && event.matches !== undefined && traceFilters.some((f) => event.matches!.includes(f)));
}

export function showsDirection(event: TraceEvent, expected: ExpectedMessage): boolean {
  return expected.sent === undefined || expected.sent === event.sent;
}

const EPSILON = 0;
const MATCH = 1;
const WRONG_DIRECTION = 2;
const MISSING = 3;
const UNEXPECTED = 4;

/** The most (recording position, state) pairs an alignment searches: about 150 MB of tables. */
export const MAX_ALIGNMENT_NODES = 10_000_000;

/**
 * The cheapest way to read the recording as a run of the automaton, where a message the
 * recording lacks, a message the flow does not expect there, and a message in the wrong
 * direction each cost 1 (an edit distance between the recording and the flow's language).
 * A shortest path over (events read, state) pairs, with costs 0 and 1, searched by cost level.
 * Undefined when that is more than MAX_ALIGNMENT_NODES pairs.
 */
export function align(automaton: Automaton, events: readonly TraceEvent[]): Alignment | undefined {
  const states = automaton.stateCount;
  const nodes = (events.length + 1) * states;
  if (nodes > MAX_ALIGNMENT_NODES) return undefined;
  const moves: Move[] = automaton.moves.flat();
  const firstMove = new Int32Array(states);
  automaton.moves.forEach((list, state) => {
    if (state + 1 < states) firstMove[state + 1] = firstMove[state]! + list.length;
  });
  const distance = new Int32Array(nodes).fill(-1);
  const previous = new Int32Array(nodes).fill(-1);
  const how = new Int8Array(nodes);
  /** The move taken into each node, as an index into `moves`. */
  const moveOf = new Int32Array(nodes).fill(-1);
  const done = new Uint8Array(nodes);
  const target = events.length * states + automaton.accept;
  const levels: number[][] = [[automaton.start]];
  distance[automaton.start] = 0;

  const relax = (from: number, to: number, cost: number, kind: number, level: number, move = -1) => {
    const d = level + cost;
    if (distance[to] !== -1 && distance[to]! <= d) return;
    distance[to] = d;
    previous[to] = from;
    how[to] = kind;
    moveOf[to] = move;
    (levels[d] ??= []).push(to);
  };

  search: for (let level = 0; level < levels.length; level++) {
    const queue = levels[level] ?? [];
    while (queue.length > 0) {
      const node = queue.pop()!;
      if (done[node] || distance[node] !== level) continue;
      done[node] = 1;
      if (node === target) break search;
      const read = Math.floor(node / states);
      const state = node % states;
      const event = events[read];
      for (const to of automaton.epsilon[state]!) relax(node, read * states + to, 0, EPSILON, level);
      automaton.moves[state]!.forEach((move, j) => {
        const id = firstMove[state]! + j;
        if (event && showsName(event, move.expected)) {
          const right = showsDirection(event, move.expected);
          relax(node, (read + 1) * states + move.to, right ? 0 : 1, right ? MATCH : WRONG_DIRECTION, level, id);
        }
        relax(node, read * states + move.to, 1, MISSING, level, id);
      });
      if (event) relax(node, (read + 1) * states + state, 1, UNEXPECTED, level);
    }
  }

  // Always reached: every message can be read as unexpected, and every move taken as missing.
  const steps: AlignedStep[] = [];
  for (let node = target; node !== automaton.start && node !== -1; node = previous[node]!) {
    const read = Math.floor(node / states) - 1;
    const move = moves[moveOf[node]!];
    switch (how[node]) {
      case MATCH:
        steps.push({ kind: 'match', event: events[read]!, expected: move!.expected });
        break;
      case WRONG_DIRECTION:
        steps.push({ kind: 'wrong-direction', event: events[read]!, expected: move!.expected });
        break;
      case MISSING:
        steps.push({ kind: 'missing', expected: move!.expected });
        break;
      case UNEXPECTED:
        steps.push({ kind: 'unexpected', event: events[read]! });
        break;
    }
  }
  steps.reverse();
  return { cost: distance[target]!, steps };
}
