import { titled } from '../ir/describe.js';
import type { FlowIR, Message, Phase, Step } from '../ir/types.js';
import type { TraceEvent } from '../trace/trace.js';
import type { Conformance, ScenarioFit } from './conform.js';

/**
 * The recording as a flow to draw with any sequence target: each recorded message in order,
 * titled as the spec titles it, under the spec's phases. Deviations are marked on the message
 * (`deviation`), which the templates draw in colour; a missing message is a placeholder where
 * the spec expects it. Facts that do not match, and what was recorded, are notes at the top.
 */
export function observedFlow(conformance: Conformance, fit: ScenarioFit): FlowIR {
  const { side, peer, trace } = conformance;
  const { flow } = fit;
  /** The recording side and its peer, in the spec's order. */
  const pair = flow.participants.filter((p) => p.id === side.id || p.id === peer.id).map((p) => p.id);
  const direction = (event: TraceEvent) => (event.sent ? { from: side.id, to: peer.id } : { from: peer.id, to: side.id });
  const message = (spec: Message, fields: string[], change: Partial<Message> = {}): Message => ({
    ...spec,
    fields,
    trace: [],
    ...change,
  });
  /** A message the scenario has no place for: named as the trace names it. */
  const unexpected = (event: TraceEvent): Message => ({
    kind: 'message',
    label: event.name,
    ...direction(event),
    fields: [`line ${event.line}: not expected here`],
    arrow: 'sync',
    abstract: false,
    trace: [],
    deviation: 'unexpected',
    source: [],
  });

  const phases: Phase[] = [];
  const add = (step: Step, phase: number | undefined) => {
    const last = phases.at(-1);
    const title = phase === undefined ? undefined : flow.phases[phase]?.title;
    if (!last || (title !== undefined && title !== last.title)) phases.push({ title: title ?? flow.phases[0]!.title, steps: [], source: [] });
    phases.at(-1)!.steps.push(step);
  };

  const facts = Object.entries(trace.facts).map(([, fact]) => fact.value);
  const header = `Recorded by ${side.label} (${trace.format}, ${trace.file})${facts.length > 0 ? `: ${facts.join(', ')}` : ''}`;
  add({ kind: 'note', text: header, at: pair, side: 'over', source: [] }, firstPhase(fit));
  for (const deviation of fit.deviations.filter((d) => d.kind === 'fact')) {
    add({ kind: 'note', text: deviation.message.replace(', but ', ',\nbut '), at: pair, side: 'over', source: [] }, undefined);
  }
  for (const step of fit.steps) {
    switch (step.kind) {
      case 'match':
        add(message(step.expected.message, [`line ${step.event.line}`]), step.expected.phase);
        break;
      case 'missing':
        add(message(step.expected.message, ['missing from the recording'], { deviation: 'missing' }), step.expected.phase);
        break;
      case 'unexpected':
        add(unexpected(step.event), undefined);
        break;
      case 'wrong-direction':
        add(
          message(step.expected.message, [`line ${step.event.line}: the wrong way`], { ...direction(step.event), deviation: 'wrong-direction' }),
          step.expected.phase,
        );
        break;
      case 'out-of-order': {
        const before = step.expectedBefore ? `expected before line ${step.expectedBefore.line}` : 'expected at the end';
        add(
          message(step.expected.message, [`line ${step.event.line}: out of order, ${before}`], { ...direction(step.event), deviation: 'out-of-order' }),
          undefined,
        );
        break;
      }
    }
  }
  return {
    title: titled(flow.title, `recording by ${side.label}${fit.cost === 0 ? ', conforms' : `, ${fit.deviations.length} deviation(s)`}`),
    ...(flow.theme !== undefined ? { theme: flow.theme } : {}),
    participants: flow.participants.filter((p) => pair.includes(p.id)),
    groups: [],
    variables: [],
    scenarios: { exclude: [] },
    trace: {},
    phases,
  };
}

function firstPhase(fit: ScenarioFit): number | undefined {
  for (const step of fit.steps) if ('expected' in step) return step.expected.phase;
  return undefined;
}
