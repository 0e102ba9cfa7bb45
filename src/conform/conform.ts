import { DiagnosticCodes, error, type Result, type Span } from '../diagnostics/diagnostic.js';
import { messagesAndActions } from '../ir/steps.js';
import type { DeviationKind, FlowIR, Message, Participant } from '../ir/types.js';
import { declaredScenarios } from '../scenarios/declared.js';
import { projectFlow } from '../scenarios/projection.js';
import { describeScenario, type Scenario } from '../scenarios/scenario.js';
import type { CompiledSpec } from '../compile/load-spec.js';
import { didYouMean } from '../shared/suggest.js';
import type { RecordedTrace, TraceEvent, TraceFactValue } from '../trace/trace.js';
import { align, MAX_ALIGNMENT_NODES, showsDirection, showsName, type AlignedStep } from './align.js';
import { directionAt, expectedAutomaton, isTraced, MAX_STATES, type ExpectedMessage } from './expected.js';
import { matchesAny } from './pattern.js';
import { messageTitle } from '../views/message-title.js';

/** A step of the recording read against one scenario: an alignment step, or a message that came out of order. */
export type ObservedStep = AlignedStep | { kind: 'out-of-order'; event: TraceEvent; expected: ExpectedMessage; expectedBefore?: TraceEvent };

/** One way the recording departs from a scenario, with where to look in the trace and in the spec. */
export interface Deviation {
  /** How the recording departs in its messages (as drawn), or `fact`: its cipher suite or version. */
  kind: DeviationKind | 'fact';
  message: string;
  /** The trace line it is about: the event's, or for a missing message the line it should have come before. */
  traceLine?: number;
  /** The spec's part it is about. */
  spec?: Span;
}

export interface ScenarioFit {
  scenario: Scenario;
  /** The scenario's title in `only`, else its values in words. */
  title: string;
  /** Deviations counted as edits (an out-of-order message counts twice: missing here, unexpected there). */
  cost: number;
  steps: ObservedStep[];
  deviations: Deviation[];
  /** The scenario's projection. */
  flow: FlowIR;
}

export interface Conformance {
  trace: RecordedTrace;
  /** The participant that recorded the trace, and the one it talks to. */
  side: Participant;
  peer: Participant;
  /** Every scenario, best fit first (ties in the spec's order). */
  fits: ScenarioFit[];
}

/**
 * Reads a recorded trace against every scenario of a spec: aligns the recording with each
 * scenario's projection, checks the facts it shows (cipher suite, version) against the spec's
 * `trace:` patterns, and ranks the scenarios by how few deviations they leave.
 */
export function conform(spec: CompiledSpec, trace: RecordedTrace, side: string): Result<Conformance> {
  const { flow, locate } = spec;
  const capture = trace.unit === 'frame';
  const sideParticipant = flow.participants.find((p) => p.id === side);
  if (!sideParticipant) {
    const ids = flow.participants.map((p) => p.id);
    const hint = didYouMean(side, ids);
    return {
      diagnostics: [
        error(DiagnosticCodes.UNKNOWN_SIDE, `"${side}" is not a participant of ${flow.title || 'the flow'} (participants: ${ids.join(', ')})`, undefined, hint),
      ],
    };
  }
  const traced = flow.phases
    .flatMap((phase) => messagesAndActions(phase.steps))
    .filter((step): step is Message => step.kind === 'message' && isTraced(step, capture) && directionAt(step, side) !== null);
  const peerId = traced.map((m) => (m.from === side ? m.to : m.from)).find((id) => id !== side);
  const peer = flow.participants.find((p) => p.id === peerId);
  if (!peer) {
    return {
      diagnostics: [
        error(
          DiagnosticCodes.NOTHING_TO_COMPARE,
          `no message to or from "${side}" says how a recording shows it: give the messages a "trace:" key, e.g. trace: ClientHello`,
        ),
      ],
    };
  }
  const words = new SpecWords(flow, locate);
  const fits: ScenarioFit[] = [];
  for (const choice of declaredScenarios(flow)) {
    const projected = projectFlow(flow, choice.scenario);
    const automaton = expectedAutomaton(projected, side, capture);
    if (!automaton) {
      return {
        diagnostics: [
          error(
            DiagnosticCodes.TOO_LARGE_TO_COMPARE,
            `${flow.title || 'the flow'} makes more than ${MAX_STATES} states to check a recording against (its parallel blocks interleave in too many ways)`,
          ),
        ],
      };
    }
    const alignment = align(automaton, trace.events);
    if (!alignment) {
      return {
        diagnostics: [
          error(
            DiagnosticCodes.TOO_LARGE_TO_COMPARE,
            `${trace.events.length} recorded messages against ${automaton.stateCount} states of ${flow.title || 'the flow'} are more than ${MAX_ALIGNMENT_NODES} pairs to align: record a shorter exchange`,
          ),
        ],
      };
    }
    const steps = pairOutOfOrder(alignment.steps);
    const facts = factDeviations(flow, choice.scenario, trace, words);
    fits.push({
      scenario: choice.scenario,
      title: choice.title ?? (flow.variables.length > 0 ? describeScenario(flow, choice.scenario) : flow.title),
      cost: alignment.cost + facts.length,
      steps,
      deviations: [...facts, ...stepDeviations(steps, words, sideParticipant, peer)],
      flow: projected,
    });
  }
  // Among equal costs, a scenario whose cipher suite and version match reads more naturally.
  const factCount = (fit: ScenarioFit) => fit.deviations.filter((d) => d.kind === 'fact').length;
  fits.sort((a, b) => a.cost - b.cost || factCount(a) - factCount(b));
  return { value: { trace, side: sideParticipant, peer, fits }, diagnostics: [] };
}

/**
 * A message the recording lacks in one place and has, unexpected, in another is one message
 * out of order: the pair becomes one step, where the recording has it.
 */
function pairOutOfOrder(steps: readonly AlignedStep[]): ObservedStep[] {
  const result: (ObservedStep | undefined)[] = [...steps];
  steps.forEach((step, i) => {
    if (step.kind !== 'missing') return;
    let best: { index: number; event: TraceEvent } | undefined;
    result.forEach((other, j) => {
      if (other?.kind !== 'unexpected' || !showsName(other.event, step.expected) || !showsDirection(other.event, step.expected)) return;
      if (best === undefined || Math.abs(j - i) < Math.abs(best.index - i)) best = { index: j, event: other.event };
    });
    if (best === undefined) return;
    const { event } = best;
    const expectedBefore = steps.slice(i + 1).find((s): s is Extract<AlignedStep, { event: TraceEvent }> => 'event' in s && s.event !== event)?.event;
    result[best.index] = { kind: 'out-of-order', event, expected: step.expected, ...(expectedBefore ? { expectedBefore } : {}) };
    result[i] = undefined;
  });
  return result.filter((s): s is ObservedStep => s !== undefined);
}

function factDeviations(flow: FlowIR, scenario: Scenario, trace: RecordedTrace, words: SpecWords): Deviation[] {
  const found: Deviation[] = [];
  const check = (fact: string, patterns: readonly string[], whose: string, path: (string | number)[]) => {
    const shown: TraceFactValue | undefined = trace.facts[fact];
    if (!shown || matchesAny(patterns, shown.value)) return;
    found.push({
      kind: 'fact',
      message: `the ${FACT_NAMES[fact] ?? fact} is ${shown.value}, but ${whose} expects ${patterns.join(' or ')}`,
      traceLine: shown.line,
      spec: words.locate(path),
    });
  };
  for (const [fact, patterns] of Object.entries(flow.trace)) check(fact, patterns, 'the spec', ['trace', fact]);
  for (const variable of flow.variables) {
    const value = scenario.get(variable.id) ?? variable.default;
    const label = variable.values.find((v) => v.id === value)?.label ?? value;
    for (const [fact, patterns] of Object.entries(variable.trace[value] ?? {})) {
      check(fact, patterns, `${variable.label} = ${label}`, [...variable.source, 'trace', fact, value]);
    }
  }
  return found;
}

const FACT_NAMES: Readonly<Record<string, string>> = { cipher: 'cipher suite', version: 'protocol version' };

function stepDeviations(steps: readonly ObservedStep[], words: SpecWords, side: Participant, peer: Participant): Deviation[] {
  // For each step, the next recorded message after it; filled from the end, so the whole is one pass.
  const nextEvent: (TraceEvent | undefined)[] = [];
  for (let i = steps.length - 1, next: TraceEvent | undefined; i >= 0; i--) {
    nextEvent[i] = next;
    const step = steps[i]!;
    if ('event' in step) next = step.event;
  }
  const went = (event: TraceEvent) => (event.sent ? `${side.label} → ${peer.label}` : `${peer.label} → ${side.label}`);
  let lastExpected: ExpectedMessage | undefined;
  return steps.flatMap((step, i): Deviation[] => {
    const previous = lastExpected;
    if ('expected' in step) lastExpected = step.expected;
    switch (step.kind) {
      case 'match':
        return [];
      case 'missing': {
        const before = nextEvent[i];
        return [
          {
            kind: 'missing',
            message: `missing ${words.message(step.expected.message)}, ${before ? `expected before ${before.name}` : 'expected at the end of the trace'}`,
            ...(before ? { traceLine: before.line } : {}),
            spec: words.at(step.expected.message),
          },
        ];
      }
      case 'unexpected':
        return [
          {
            kind: 'unexpected',
            message: `unexpected ${step.event.name} (${went(step.event)}): the scenario has no such message here${previous ? `, after ${messageTitle(previous.message)}` : ''}`,
            traceLine: step.event.line,
            ...(previous ? { spec: words.at(previous.message) } : {}),
          },
        ];
      case 'wrong-direction':
        return [
          {
            kind: 'wrong-direction',
            message: `${step.event.name} went ${went(step.event)}, but the spec sends ${words.message(step.expected.message)}`,
            traceLine: step.event.line,
            spec: words.at(step.expected.message),
          },
        ];
      case 'out-of-order':
        return [
          {
            kind: 'out-of-order',
            message: `${step.event.name} (${went(step.event)}) is out of order: the spec's ${messageTitle(step.expected.message)} was expected ${
              step.expectedBefore ? `before trace line ${step.expectedBefore.line} (${step.expectedBefore.name})` : 'at the end of the trace'
            }`,
            traceLine: step.event.line,
            spec: words.at(step.expected.message),
          },
        ];
    }
  });
}

/** How deviations name the spec's messages ("Server Hello Done (14) (Server → Client)") and find their lines. */
class SpecWords {
  private readonly labels: ReadonlyMap<string, string>;
  constructor(
    flow: FlowIR,
    readonly locate: CompiledSpec['locate'],
  ) {
    this.labels = new Map(flow.participants.map((p) => [p.id, p.label]));
  }

  /** "Certificate Request (13) (Server → Client)" */
  message(message: Message): string {
    return `${messageTitle(message)} (${this.labels.get(message.from)} → ${this.labels.get(message.to)})`;
  }

  at(message: Message): Span {
    return this.locate(message.source);
  }
}
