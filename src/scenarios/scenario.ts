import { describeCondition } from '../ir/describe.js';
import type { Condition, FlowIR, Variable } from '../ir/types.js';
import { didYouMean } from '../shared/suggest.js';

/** One value for every variable of a flow: variable id → value id. */
export type Scenario = ReadonlyMap<string, string>;

/** True when every term of `condition` holds in `scenario`. */
export function holds(condition: Condition, scenario: Scenario): boolean {
  return condition.every((term) => term.values.includes(scenario.get(term.variable) ?? ''));
}

/** The scenario that takes each variable's default. */
export function defaultScenario(variables: readonly Variable[]): Scenario {
  return new Map(variables.map((v) => [v.id, v.default]));
}

/** Values for some variables (a map or a record) completed with the defaults of the others, in declaration order. */
export function completeScenario(variables: readonly Variable[], values: Scenario | Readonly<Record<string, string>>): Scenario {
  const given = isScenario(values) ? values : new Map(Object.entries(values));
  return new Map(variables.map((v) => [v.id, given.get(v.id) ?? v.default]));
}

function isScenario(values: Scenario | Readonly<Record<string, string>>): values is Scenario {
  return values instanceof Map;
}

/** `keyExchange=rsa,clientAuth=on`: the form `--scenario` reads. */
export function scenarioText(scenario: Scenario): string {
  return [...scenario].map(([variable, value]) => `${variable}=${value}`).join(',');
}

/** `keyExchange=rsa,clientAuth=on` as variable → value, before any spec is consulted. */
export function parseValues(text: string): { values: Record<string, string> } | { problem: string } {
  const values: Record<string, string> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const equals = part.indexOf('=');
    if (equals < 0) return { problem: `"${part}" is not VARIABLE=VALUE` };
    const id = part.slice(0, equals).trim();
    if (Object.hasOwn(values, id)) return { problem: `variable "${id}" is named twice` };
    values[id] = part.slice(equals + 1).trim();
  }
  return { values };
}

/** What is wrong with values for `variables`, naming what is valid instead; undefined when nothing is. */
export function scenarioProblem(variables: readonly Variable[], values: Scenario | Readonly<Record<string, string>>): string | undefined {
  for (const [id, value] of isScenario(values) ? values : Object.entries(values)) {
    const variable = variables.find((v) => v.id === id);
    if (!variable) {
      const known = variables.map((v) => v.id);
      if (known.length === 0) return `unknown variable "${id}": this spec declares no variables`;
      return `unknown variable "${id}"${hint(id, known)}; the variables are ${known.join(', ')}`;
    }
    const values = variable.values.map((v) => v.id);
    if (!values.includes(value)) return `unknown value "${value}" for ${id}${hint(value, values)}; its values are ${values.join(', ')}`;
  }
  return undefined;
}

/** ` (did you mean "rsa"?)` when a candidate is close. */
function hint(name: string, candidates: readonly string[]): string {
  const suggestion = didYouMean(name, candidates);
  return suggestion === undefined ? '' : ` (${suggestion})`;
}

/**
 * Reads `keyExchange=rsa,clientAuth=on`: the named variables take the named values, the others
 * their defaults. A problem names what is valid instead.
 */
export function parseScenario(text: string, variables: readonly Variable[]): { scenario: Scenario } | { problem: string } {
  const parsed = parseValues(text);
  if ('problem' in parsed) return parsed;
  const problem = scenarioProblem(variables, parsed.values);
  return problem !== undefined ? { problem } : { scenario: completeScenario(variables, parsed.values) };
}

/** "Key exchange = RSA, Client authentication = Required": every variable, in declaration order. */
export function describeScenario(flow: Pick<FlowIR, 'variables'>, scenario: Scenario): string {
  const terms = flow.variables.map((v) => ({ variable: v.id, values: [scenario.get(v.id) ?? '?'] }));
  return describeCondition(flow.variables, terms);
}
