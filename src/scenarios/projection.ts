import { titled } from '../ir/describe.js';
import type { Alt, Branch, Condition, FlowIR, Step } from '../ir/types.js';
import { DiagnosticCodes, error, type Result } from '../diagnostics/diagnostic.js';
import { completeScenario, describeScenario, holds, scenarioProblem, type Scenario } from './scenario.js';

/** The branch of an alt a scenario takes: the first whose condition holds, else the else-branch, if any. */
export function takenBranch(alt: Alt, scenario: Scenario): Branch | undefined {
  return alt.branches.find((b) => !b.condition || holds(b.condition, scenario));
}

/**
 * The flow as it runs in one scenario, with no alternative left (see `projectSteps`). The title
 * names the scenario, which must give every variable one of its values (see `completeScenario`).
 */
export function projectFlow(flow: FlowIR, scenario: Scenario): FlowIR {
  const title = flow.variables.length > 0 ? titled(flow.title, describeScenario(flow, scenario)) : flow.title;
  return { ...flow, title, phases: flow.phases.map((phase) => ({ ...phase, steps: projectSteps(phase.steps, scenario) })) };
}

/**
 * The steps with the variables `values` names fixed: an `alt` becomes the steps of its first
 * branch whose condition holds (the else-branch when none does, nothing without one); an `opt`
 * with a condition becomes its steps or nothing. Terms on variables `values` does not name stay
 * undecided: an alt keeps the branches that may still be taken (the first that surely is becomes
 * its else-branch), an opt keeps what is left of its condition. Loops, parallel blocks, groups and
 * references stay, their insides projected, and are dropped when nothing is left in them. With a
 * value for every variable, this is a scenario's straight line.
 */
export function projectSteps(list: readonly Step[], values: Scenario): Step[] {
  return list.flatMap((step): Step[] => {
    switch (step.kind) {
      case 'alt': {
        const branches: Branch[] = [];
        for (const branch of step.branches) {
          const decided = decide(branch.condition, values);
          if (decided === false) continue;
          const inside = projectSteps(branch.steps, values);
          if (decided !== true) {
            branches.push({ ...branch, condition: decided, steps: inside });
            continue;
          }
          if (branches.length === 0) return inside;
          const { condition: _decided, ...otherwise } = branch;
          branches.push({ ...otherwise, steps: inside });
          break;
        }
        return branches.length > 0 ? [{ ...step, branches }] : [];
      }
      case 'opt': {
        const decided = decide(step.condition, values);
        if (decided === false) return [];
        const inside = projectSteps(step.steps, values);
        if (decided === true && step.condition) return inside;
        if (inside.length === 0) return [];
        return [decided === true ? { ...step, steps: inside } : { ...step, condition: decided, steps: inside }];
      }
      case 'loop':
      case 'group':
      case 'critical':
      case 'ref': {
        const inside = projectSteps(step.steps, values);
        return inside.length > 0 ? [{ ...step, steps: inside }] : [];
      }
      case 'par': {
        const branches = step.branches.map((b) => ({ ...b, steps: projectSteps(b.steps, values) })).filter((b) => b.steps.length > 0);
        return branches.length > 0 ? [{ ...step, branches }] : [];
      }
      default:
        return [step];
    }
  });
}

/** Whether a condition holds given `values`: true, false, or the terms on variables `values` does not name. */
function decide(condition: Condition | undefined, values: Scenario): Condition | boolean {
  const open: Condition[number][] = [];
  for (const term of condition ?? []) {
    const value = values.get(term.variable);
    if (value === undefined) open.push(term);
    else if (!term.values.includes(value)) return false;
  }
  return open.length === 0 ? true : open;
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
