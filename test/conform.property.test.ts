import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { align } from '../src/conform/align.js';
import { expectedAutomaton } from '../src/conform/expected.js';
import type { FlowIR, Message, Step } from '../src/ir/types.js';
import type { TraceEvent } from '../src/trace/trace.js';

/** A traced message between the recording side `a` and its peer `b`; `sent` is a's point of view. */
interface Sent {
  name: string;
  sent: boolean;
}

const message = ({ name, sent }: Sent): Message => ({
  kind: 'message',
  label: name,
  from: sent ? 'a' : 'b',
  to: sent ? 'b' : 'a',
  fields: [],
  arrow: 'sync',
  abstract: false,
  trace: [name],
  source: [],
});

function flowOf(steps: Step[]): FlowIR {
  return {
    title: 'Flow',
    groups: [],
    participants: [
      { id: 'a', label: 'A', kind: 'service' },
      { id: 'b', label: 'B', kind: 'service' },
    ],
    variables: [],
    scenarios: { exclude: [] },
    trace: {},
    phases: [{ title: 'One', steps, source: [] }],
  };
}

const events = (messages: readonly Sent[]): TraceEvent[] => messages.map((m, i) => ({ ...m, line: i + 1 }));
const sent = fc.record({ name: fc.constantFrom('A', 'B', 'C', 'D'), sent: fc.boolean() });
const messages = fc.array(sent, { maxLength: 12 });

function alignFlow(steps: Step[], recorded: readonly TraceEvent[]) {
  return align(expectedAutomaton(flowOf(steps), 'a')!, recorded)!;
}

function alignLinear(expected: readonly Sent[], recorded: readonly TraceEvent[]) {
  return alignFlow(expected.map(message), recorded);
}

/**
 * The classic edit distance, written out independently: deleting or inserting a message costs 1,
 * keeping it 0, and a message of the right name going the wrong way 1.
 */
function editDistance(expected: readonly Sent[], recorded: readonly Sent[]): number {
  const d = Array.from({ length: expected.length + 1 }, (_, i) => Array.from({ length: recorded.length + 1 }, (_, j) => i + j));
  for (let i = 1; i <= expected.length; i++) {
    for (let j = 1; j <= recorded.length; j++) {
      const e = expected[i - 1]!;
      const r = recorded[j - 1]!;
      const keep = e.name === r.name ? (e.sent === r.sent ? 0 : 1) : Infinity;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + keep);
    }
  }
  return d[expected.length]![recorded.length]!;
}

describe('aligning a recording with a flow (property tests)', () => {
  it('costs exactly the edit distance between the recording and a flow of plain messages', () => {
    fc.assert(
      fc.property(messages, messages, (expected, recorded) => {
        expect(alignLinear(expected, events(recorded)).cost).toBe(editDistance(expected, recorded));
      }),
      { numRuns: 300 },
    );
  });

  it('accounts for every recorded message once, in order, and for every expected one once, in order', () => {
    fc.assert(
      fc.property(messages, messages, (expected, recorded) => {
        const { steps, cost } = alignLinear(expected, events(recorded));
        const seen = steps.flatMap((s) => ('event' in s ? [s.event] : []));
        expect(seen).toEqual(events(recorded));
        const planned = steps.flatMap((s) => ('expected' in s ? [s.expected.message.label] : []));
        expect(planned).toEqual(expected.map((m) => m.name));
        expect(steps.filter((s) => s.kind !== 'match').length).toBe(cost);
      }),
      { numRuns: 300 },
    );
  });

  it('a recording edited k times (a message dropped, added or turned round) costs at most k', () => {
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('add' as const), at: fc.nat(), message: sent }),
      fc.record({ kind: fc.constant('turn' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(messages, fc.array(edit, { maxLength: 4 }), (expected, edits) => {
        const recorded = [...expected];
        let applied = 0;
        for (const e of edits) {
          if (e.kind === 'add') recorded.splice(e.at % (recorded.length + 1), 0, e.message);
          else if (recorded.length === 0) continue;
          else if (e.kind === 'drop') recorded.splice(e.at % recorded.length, 1);
          else recorded[e.at % recorded.length] = { ...recorded[e.at % recorded.length]!, sent: !recorded[e.at % recorded.length]!.sent };
          applied++;
        }
        const cost = alignLinear(expected, events(recorded)).cost;
        expect(cost).toBeLessThanOrEqual(applied);
        if (applied === 0) expect(cost).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('a parallel block accepts every interleaving of its branches', () => {
    const interleaving = fc
      .tuple(
        fc.array(sent, { minLength: 1, maxLength: 5 }),
        fc.array(sent, { minLength: 1, maxLength: 5 }),
        fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
      )
      .map(([left, right, picks]) => {
        const merged: Sent[] = [];
        let i = 0;
        let j = 0;
        for (const pick of [...picks, ...Array<boolean>(10).fill(true), ...Array<boolean>(10).fill(false)]) {
          if (pick && i < left.length) merged.push(left[i++]!);
          else if (!pick && j < right.length) merged.push(right[j++]!);
        }
        return { left, right, merged };
      });
    fc.assert(
      fc.property(interleaving, ({ left, right, merged }) => {
        const par: Step = { kind: 'par', branches: [left, right].map((b) => ({ label: '', steps: b.map(message), source: [] })), source: [] };
        expect(alignFlow([par], events(merged)).cost).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('an unconditional opt may be recorded or not; a loop once or more', () => {
    fc.assert(
      fc.property(messages, fc.array(sent, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 3 }), (before, inside, times) => {
        const opt: Step = { kind: 'opt', label: 'maybe', steps: inside.map(message), source: [] };
        const loop: Step = { kind: 'loop', label: 'again', steps: inside.map(message), source: [] };
        const repeated = Array.from({ length: times }, () => inside).flat();
        const optCost = alignFlow([...before.map(message), opt], events([...before, ...(times > 0 ? inside : [])])).cost;
        expect(optCost).toBe(0);
        const loopCost = alignFlow([...before.map(message), loop], events([...before, ...repeated])).cost;
        expect(loopCost).toBe(times === 0 ? inside.length : 0);
      }),
      { numRuns: 200 },
    );
  });
});
