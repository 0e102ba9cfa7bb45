import type { FlowIR, Step } from '../ir/types.js';
import { projectFlow } from './projection.js';
import type { Scenario } from './scenario.js';

/** A scenario to draw, with the others that draw exactly the same flow. */
export interface ScenarioGroup<T extends { scenario: Scenario }> {
  /** The first of the group: the one drawn. */
  first: T;
  /** Others whose projection is identical to the first's, in the order given. */
  sameAs: T[];
  /** Each member's projection, the first's first: the same diagram, though its steps may be written in different places of the spec. */
  projections: FlowIR[];
}

/** Every combination of the flow's variable values, the first variable varying slowest. */
export function allScenarios(flow: Pick<FlowIR, 'variables'>): Scenario[] {
  return flow.variables.reduce<Scenario[]>(
    (partial, variable) => partial.flatMap((scenario) => variable.values.map((value) => new Map([...scenario, [variable.id, value.id]]))),
    [new Map()],
  );
}

/** What a projection shows, without where it came from or its title: two equal keys draw the same diagram. */
function flowKey(flow: FlowIR): string {
  const strip = (steps: readonly Step[]): unknown[] =>
    steps.map((step) => {
      const { source: _source, ...rest } = step;
      // A reference box is drawn as its label: what it stands for does not tell two drawings apart.
      if (rest.kind === 'ref') return { kind: rest.kind, label: rest.label, over: rest.over };
      if ('steps' in rest) return { ...rest, steps: strip(rest.steps) };
      if ('branches' in rest) return { ...rest, branches: rest.branches.map(({ source: _s, ...b }) => ({ ...b, steps: strip(b.steps) })) };
      return rest;
    });
  return JSON.stringify(flow.phases.map((phase) => ({ title: phase.title, steps: strip(phase.steps) })));
}

/** The candidates grouped by the flow they project to, in the order of each group's first candidate. */
export function groupIdentical<T extends { scenario: Scenario }>(flow: FlowIR, candidates: readonly T[]): ScenarioGroup<T>[] {
  const groups = new Map<string, ScenarioGroup<T>>();
  for (const candidate of candidates) {
    const projected = projectFlow(flow, candidate.scenario);
    const key = flowKey(projected);
    const group = groups.get(key);
    if (group) {
      group.sameAs.push(candidate);
      group.projections.push(projected);
    } else {
      groups.set(key, { first: candidate, sameAs: [], projections: [projected] });
    }
  }
  return [...groups.values()];
}
