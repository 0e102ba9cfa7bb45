import type { Alt, Branch, FlowIR, Step } from '../ir/types.js';
import { DiagnosticCodes, error, type Result } from '../diagnostics/diagnostic.js';
import { completeScenario, describeScenario, holds, scenarioProblem, type Scenario } from './scenario.js';

/** The branch of an alt a scenario takes: the first whose condition holds, else the else-branch, if any. */
export function takenBranch(alt: Alt, scenario: Scenario): Branch | undefined {
  return alt.branches.find((b) => !b.condition || holds(b.condition, scenario));
}

/**
 * The flow as it runs in one scenario, with no alternative left: an `alt` becomes the steps of
 * its first branch whose condition holds (the else-branch when none does, nothing without one);
 * an `opt` with a condition becomes its steps or nothing. Loops, parallel blocks and groups stay,
 * their insides projected, and are dropped when nothing is left in them. The title names the
 * scenario, which must give every variable one of its values (see `completeScenario`).
 */
export function projectFlow(flow: FlowIR, scenario: Scenario): FlowIR {
  const steps = (list: readonly Step[]): Step[] =>
    list.flatMap((step): Step[] => {
      switch (step.kind) {
        case 'alt': {
          const branch = takenBranch(step, scenario);
          return branch ? steps(branch.steps) : [];
        }
        case 'opt': {
          if (step.condition) return holds(step.condition, scenario) ? steps(step.steps) : [];
          const inside = steps(step.steps);
          return inside.length > 0 ? [{ ...step, steps: inside }] : [];
        }
        case 'loop':
        case 'group': {
          const inside = steps(step.steps);
          return inside.length > 0 ? [{ ...step, steps: inside }] : [];
        }
        case 'par': {
          const branches = step.branches.map((b) => ({ ...b, steps: steps(b.steps) })).filter((b) => b.steps.length > 0);
          return branches.length > 0 ? [{ ...step, branches }] : [];
        }
        default:
          return [step];
      }
    });
  const title = flow.variables.length > 0 ? `${flow.title}: ${describeScenario(flow, scenario)}` : flow.title;
  return { ...flow, title, phases: flow.phases.map((phase) => ({ ...phase, steps: steps(phase.steps) })) };
}

/**
 * The library's projection: `values` names some variables (the others take their default), and
 * an unknown variable or value is a diagnostic (PF005) instead of a flow no scenario has.
 */
export function project(flow: FlowIR, values: Scenario | Readonly<Record<string, string>>): Result<FlowIR> {
  const problem = scenarioProblem(flow.variables, values);
  if (problem !== undefined) return { diagnostics: [error(DiagnosticCodes.UNKNOWN_SCENARIO, problem)] };
  return { value: projectFlow(flow, completeScenario(flow.variables, values)), diagnostics: [] };
}
