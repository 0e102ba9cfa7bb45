import { describeCondition, titled } from '../ir/describe.js';
import type { Condition, FlowIR } from '../ir/types.js';
import { declaredScenarios, type DeclaredScenarioChoice } from './declared.js';
import { groupIdentical } from './enumerate.js';
import { projectFlow } from './projection.js';
import { holds, type Scenario } from './scenario.js';

/** One set of diagrams of a spec: a scenario's projection, named for the scenarios it stands for. */
export interface Drawing {
  /** Appended to the spec's name for the output files: `keyExchange-rsa--clientAuth-on`. */
  suffix: string;
  /** The title the spec's `only` list gives the scenario. */
  title?: string;
  /** The declared title, else the values it stands for: "Key exchange = RSA, Client authentication = Required". */
  description: string;
  /** The values it stands for: one per variable, or several when scenarios that draw the same flow are merged (a variable taking every value is left out). */
  covers: Condition;
  /** The scenario projected. */
  scenario: Scenario;
  /** Other declared scenarios that draw exactly the same flow. */
  sameAs: Scenario[];
  /** The projection, its title naming the scenario. */
  flow: FlowIR;
  /** The projection of the scenario and of each in `sameAs`: the same diagram, from steps that may be written in different places. */
  projections: FlowIR[];
}

/** `keyExchange-rsa--clientAuth-on`: value ids are ids, so the name is safe on every file system. */
function suffixOf(covers: Condition): string {
  if (covers.length === 0) return 'every-scenario';
  return covers.map(({ variable, values }) => `${variable}-${values.join('+')}`).join('--');
}

const exactly = (scenario: Scenario): Condition => [...scenario].map(([variable, value]) => ({ variable, values: [value] }));

function drawing(flow: FlowIR, shown: DeclaredScenarioChoice, projections: FlowIR[], sameAs: Scenario[], covers: Condition): Drawing {
  const description = shown.title ?? (covers.length > 0 ? describeCondition(flow.variables, covers) : 'every scenario');
  return {
    suffix: suffixOf(covers),
    ...(shown.title !== undefined ? { title: shown.title } : {}),
    description,
    covers,
    scenario: shown.scenario,
    sameAs,
    flow: { ...projections[0]!, title: titled(flow.title, description) },
    projections,
  };
}

/**
 * What a group of scenarios with one projection stands for, when that is exact: per variable the
 * values its scenarios take, when every declared scenario with those values is in the group.
 * Variables that take every value are left out. Otherwise the first scenario's own values.
 */
function groupCovers(flow: FlowIR, members: readonly Scenario[], declared: readonly Scenario[]): Condition {
  const sets = flow.variables.map((v) => ({ variable: v.id, values: v.values.map((x) => x.id).filter((id) => members.some((m) => m.get(v.id) === id)) }));
  const inProduct = declared.filter((scenario) => holds(sets, scenario)).length;
  if (inProduct !== members.length) return exactly(members[0]!);
  return sets.filter(({ variable, values }) => values.length < flow.variables.find((v) => v.id === variable)!.values.length);
}

/**
 * The diagrams enumeration draws for a spec with variables: one per declared scenario (see
 * `declaredScenarios`), scenarios that project to the same flow drawn once.
 */
export function plannedDrawings(flow: FlowIR): Drawing[] {
  const declared = declaredScenarios(flow);
  const scenarios = declared.map((d) => d.scenario);
  return groupIdentical(flow, declared).map(({ first, sameAs, projections }) => {
    // A titled scenario of `only` is drawn under its title, named by its own values.
    const members = [first, ...sameAs];
    const shown = Math.max(
      0,
      members.findIndex((m) => m.title !== undefined),
    );
    const order = [shown, ...members.keys()].filter((i, k) => k === 0 || i !== shown);
    const others = order.slice(1).map((i) => members[i]!.scenario);
    const covers =
      members[shown]!.title === undefined && others.length > 0
        ? groupCovers(
            flow,
            members.map((m) => m.scenario),
            scenarios,
          )
        : exactly(members[shown]!.scenario);
    return drawing(
      flow,
      members[shown]!,
      order.map((i) => projections[i]!),
      others,
      covers,
    );
  });
}

/** The diagrams of one scenario, named by all its values (and titled as the spec's `only` list does, if it lists it). */
export function drawingOf(flow: FlowIR, scenario: Scenario): Drawing {
  const declared = declaredScenarios(flow).find((d) => [...d.scenario].every(([variable, value]) => scenario.get(variable) === value));
  return drawing(flow, declared ?? { scenario }, [projectFlow(flow, scenario)], [], exactly(scenario));
}
