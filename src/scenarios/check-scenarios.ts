import { DiagnosticCodes, error, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Alt, Branch, Break, FlowIR, Opt, Step } from '../ir/types.js';
import { innerSteps } from '../ir/steps.js';
import type { Locator } from '../source/yaml.js';
import { declaredScenarios } from './declared.js';
import { takenBranch } from './projection.js';
import { holds, scenarioText, type Scenario } from './scenario.js';

/** Uncovered value combinations listed in one warning before "and N more". */
const LISTED = 4;
/** Combinations of values enumerated at most: each is projected, so checks and builds grow with their number. */
export const MAX_SCENARIOS = 4096;

type Conditional = Branch | Opt | Break;
const keyOf = (part: { source: readonly (string | number)[] }) => JSON.stringify(part.source);

/** Errors in the spec's `scenarios`: nothing left to draw, or a scenario of `only` listed twice. */
function checkDeclarations(flow: FlowIR, scenarios: readonly Scenario[], locate: Locator): Diagnostic[] {
  if (scenarios.length === 0) {
    return [
      error(DiagnosticCodes.NO_SCENARIO_LEFT, 'every combination of values is excluded: no scenario is left to draw', locate(['scenarios', 'exclude'], 'key')),
    ];
  }
  const found: Diagnostic[] = [];
  const texts = scenarios.map(scenarioText);
  (flow.scenarios.only ?? []).forEach((entry, i) => {
    const first = texts.indexOf(texts[i]!);
    if (first < i) {
      const line = locate(flow.scenarios.only![first]!.source).line;
      found.push(
        error(DiagnosticCodes.DUPLICATE_SCENARIO, `${texts[i]} is already listed as item ${first + 1} of "only" (line ${line})`, locate(entry.source)),
      );
    }
  });
  return found;
}

/**
 * Errors in the spec's `scenarios` (see checkDeclarations), then warnings about alternatives as the declared scenarios see them: a branch (or a conditional opt)
 * that no declared scenario takes, and an alt without an else-branch that some declared scenario
 * reaches with no branch for its values. Only the outermost untaken branch is reported: what it
 * holds is never drawn either.
 */
export function checkScenarios(flow: FlowIR, locate: Locator): Diagnostic[] {
  const combinations = flow.variables.reduce((product, v) => product * v.values.length, 1);
  if (combinations > MAX_SCENARIOS && !flow.scenarios.only) {
    return [
      error(
        DiagnosticCodes.TOO_MANY_SCENARIOS,
        `the variables make ${combinations} combinations of values, more than the ${MAX_SCENARIOS} protoflow enumerates`,
        locate(['variables'], 'key'),
        'list the scenarios to draw in "scenarios: { only: [...] }"',
      ),
    ];
  }
  const scenarios = declaredScenarios(flow).map((d) => d.scenario);
  const errors = checkDeclarations(flow, scenarios, locate);
  if (errors.length > 0) return errors;
  /** Alt or opt (by source) → the declared scenarios that get to it; branch → those that take it. */
  const reachedBy = new Map<string, Scenario[]>();
  const reach = (part: { source: readonly (string | number)[] }, scenario: Scenario) => {
    const list = reachedBy.get(keyOf(part)) ?? [];
    list.push(scenario);
    reachedBy.set(keyOf(part), list);
  };
  /** Walks what a scenario draws; true when a break it takes ends the flow. */
  const walk = (steps: readonly Step[], scenario: Scenario): boolean => {
    for (const step of steps) {
      let ended = false;
      if (step.kind === 'alt') {
        reach(step, scenario);
        const taken = takenBranch(step, scenario);
        if (taken) {
          reach(taken, scenario);
          ended = walk(taken.steps, scenario);
        }
      } else if (step.kind === 'opt' || step.kind === 'break') {
        reach(step, scenario);
        const happens = !step.condition || holds(step.condition, scenario);
        if (happens) ended = walk(step.steps, scenario) || (step.kind === 'break' && step.condition !== undefined);
      } else {
        for (const inner of innerSteps(step)) ended = walk(inner, scenario) || ended;
      }
      if (ended) return true;
    }
    return false;
  };
  for (const scenario of scenarios) flow.phases.some((phase) => walk(phase.steps, scenario));

  const declared = flow.scenarios.only !== undefined || flow.scenarios.exclude.length > 0 ? 'declared ' : '';
  const found: Diagnostic[] = [];
  const untaken = (part: Conditional, what: string, reachers: readonly Scenario[]) => {
    const reason = reachers.some((s) => holds(part.condition ?? [], s))
      ? 'the branches before it take every scenario where it holds'
      : `its condition holds in no ${declared}scenario that reaches it`;
    const name = part.label ? `${what} "${part.label}"` : part.condition ? what : 'the else-branch';
    found.push(warning(DiagnosticCodes.UNREACHABLE_BRANCH, `${name} is never drawn: ${reason}`, locate(part.source)));
  };
  const uncovered = (alt: Alt, reachers: readonly Scenario[]) => {
    if (alt.branches.some((b) => !b.condition)) return;
    const tested = [...new Set(alt.branches.flatMap((b) => b.condition!.map((t) => t.variable)))];
    const missing = [
      ...new Set(
        reachers.filter((s) => !alt.branches.some((b) => holds(b.condition!, s))).map((s) => scenarioText(new Map(tested.map((v) => [v, s.get(v) ?? ''])))),
      ),
    ];
    if (missing.length === 0) return;
    const listed = missing.slice(0, LISTED).join(' or ') + (missing.length > LISTED ? ` and ${missing.length - LISTED} more` : '');
    found.push(
      warning(
        DiagnosticCodes.NO_BRANCH_FOR_VALUE,
        `no branch for ${listed}`,
        locate(alt.source),
        'add a branch for it, or a last branch without "when" (an else-branch) for what happens otherwise',
      ),
    );
  };
  const visit = (steps: readonly Step[]): void => {
    for (const step of steps) {
      if (step.kind === 'alt') {
        // The walk reached every alt and opt this visit gets to, but those after a break every scenario takes.
        const reachers = reachedBy.get(keyOf(step));
        if (!reachers) continue;
        uncovered(step, reachers);
        step.branches.forEach((branch) => {
          if (reachedBy.has(keyOf(branch))) visit(branch.steps);
          else untaken(branch, 'branch', reachers);
        });
      } else if (step.kind === 'opt' || step.kind === 'break') {
        // A step after a break that every scenario takes is reached by none.
        const reachers = reachedBy.get(keyOf(step));
        if (!reachers) continue;
        if (!step.condition || reachers.some((s) => holds(step.condition!, s))) visit(step.steps);
        else untaken(step, step.kind, reachers);
      } else {
        for (const inner of innerSteps(step)) visit(inner);
      }
    }
  };
  for (const phase of flow.phases) visit(phase.steps);
  return found;
}
