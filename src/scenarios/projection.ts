import { titled } from '../ir/describe.js';
import type { Alt, Branch, Condition, FlowIR, Phase, Step } from '../ir/types.js';
import { DiagnosticCodes, error, type Result } from '../diagnostics/diagnostic.js';
import { completeScenario, describeScenario, holds, scenarioProblem, type Scenario } from './scenario.js';

/** The branch of an alt a scenario takes: the first whose condition holds, else the else-branch, if any. */
export function takenBranch(alt: Alt, scenario: Scenario): Branch | undefined {
  return alt.branches.find((b) => !b.condition || holds(b.condition, scenario));
}

/**
 * The flow as it runs in one scenario, with no alternative left (see `projectSteps`); a `break`
 * that happens ends it, later phases included. The title names the scenario, which must give
 * every variable one of its values (see `completeScenario`).
 */
export function projectFlow(flow: FlowIR, scenario: Scenario): FlowIR {
  const title = flow.variables.length > 0 ? titled(flow.title, describeScenario(flow, scenario)) : flow.title;
  const phases: Phase[] = [];
  for (const phase of flow.phases) {
    const projected = projectList(phase.steps, scenario);
    if (projected.steps.length > 0 || !projected.ended) phases.push({ ...phase, steps: projected.steps });
    if (projected.ended) break;
  }
  return { ...flow, title, phases };
}

/**
 * The steps with the variables `values` names fixed: an `alt` becomes the steps of its first
 * branch whose condition holds (the else-branch when none does, nothing without one); an `opt`
 * with a condition becomes its steps or nothing; a `break` whose condition holds keeps its steps,
 * its condition left empty (it surely happens), and every step after it is dropped, out of the
 * enclosing blocks too. Terms on variables `values` does not name stay undecided: an alt keeps the
 * branches that may still be taken (the first that surely is becomes its else-branch), an opt or
 * break keeps what is left of its condition. Loops, parallel blocks, groups and references stay,
 * their insides projected, and are dropped when nothing is left in them. With a value for every
 * variable, this is a scenario's straight line.
 */
export function projectSteps(list: readonly Step[], values: Scenario): Step[] {
  return projectList(list, values).steps;
}

interface Projected {
  steps: Step[];
  /** A break happened: nothing after these steps happens. */
  ended: boolean;
}

function projectList(list: readonly Step[], values: Scenario): Projected {
  const steps: Step[] = [];
  for (const step of list) {
    const projected = projectStep(step, values);
    steps.push(...projected.steps);
    if (projected.ended) return { steps, ended: true };
  }
  return { steps, ended: false };
}

const ONLY = (steps: Step[], ended = false): Projected => ({ steps, ended });

function projectStep(step: Step, values: Scenario): Projected {
  switch (step.kind) {
    case 'alt': {
      const branches: Branch[] = [];
      for (const branch of step.branches) {
        const decided = decide(branch.condition, values);
        if (decided === false) continue;
        const inside = projectList(branch.steps, values);
        if (decided !== true) {
          branches.push({ ...branch, condition: decided, steps: inside.steps });
          continue;
        }
        if (branches.length === 0) return inside;
        const { condition: _decided, ...otherwise } = branch;
        branches.push({ ...otherwise, steps: inside.steps });
        break;
      }
      return ONLY(branches.length > 0 ? [{ ...step, branches }] : []);
    }
    case 'opt': {
      const decided = decide(step.condition, values);
      if (decided === false) return ONLY([]);
      const inside = projectList(step.steps, values);
      if (decided === true && step.condition) return inside;
      if (inside.steps.length === 0) return ONLY([]);
      return ONLY([decided === true ? { ...step, steps: inside.steps } : { ...step, condition: decided, steps: inside.steps }]);
    }
    case 'break': {
      const decided = decide(step.condition, values);
      if (decided === false) return ONLY([]);
      const inside = projectList(step.steps, values).steps;
      // Without a condition it may or may not happen: the flow goes on after it.
      if (!step.condition) return ONLY(inside.length > 0 ? [{ ...step, steps: inside }] : []);
      return ONLY([{ ...step, condition: decided === true ? [] : decided, steps: inside }], decided === true);
    }
    case 'loop':
    case 'group':
    case 'critical':
    case 'ref': {
      const inside = projectList(step.steps, values);
      return ONLY(inside.steps.length > 0 ? [{ ...step, steps: inside.steps }] : [], inside.ended);
    }
    case 'par': {
      const projected = step.branches.map((b) => ({ branch: b, inside: projectList(b.steps, values) }));
      const branches = projected.filter(({ inside }) => inside.steps.length > 0).map(({ branch, inside }) => ({ ...branch, steps: inside.steps }));
      return ONLY(
        branches.length > 0 ? [{ ...step, branches }] : [],
        projected.some(({ inside }) => inside.ended),
      );
    }
    default:
      return ONLY([step]);
  }
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
