import type { Exclusion, FlowIR } from '../ir/types.js';
import { allScenarios } from './enumerate.js';
import { completeScenario, holds, type Scenario } from './scenario.js';

/** A scenario enumeration draws, with the title the spec gave it. */
export interface DeclaredScenarioChoice {
  scenario: Scenario;
  title?: string;
}

/** The exclusion of the spec's `scenarios.exclude` that rules `scenario` out, if any. */
export function exclusionOf(flow: Pick<FlowIR, 'scenarios'>, scenario: Scenario): Exclusion | undefined {
  return flow.scenarios.exclude.find((exclusion) => holds(exclusion.condition, scenario));
}

/** The scenarios a spec asks to draw: its `scenarios.only` list, else every combination not excluded. */
export function declaredScenarios(flow: Pick<FlowIR, 'variables' | 'scenarios'>): DeclaredScenarioChoice[] {
  const { only } = flow.scenarios;
  if (only) {
    return only.map((entry) => ({
      scenario: completeScenario(flow.variables, entry.values),
      ...(entry.title !== undefined ? { title: entry.title } : {}),
    }));
  }
  return allScenarios(flow)
    .filter((scenario) => !exclusionOf(flow, scenario))
    .map((scenario) => ({ scenario }));
}
