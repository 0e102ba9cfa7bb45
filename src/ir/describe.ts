import type { Condition, Variable } from './types.js';

/**
 * "Key exchange = Static DH or Ephemeral DH, Client authentication = Required": each term with the
 * labels the author gave, in the order of the condition.
 */
export function describeCondition(variables: readonly Variable[], condition: Condition): string {
  return condition
    .map(({ variable, values }) => {
      const declared = variables.find((v) => v.id === variable);
      const labels = values.map((id) => valueLabel(declared, id));
      return `${declared?.label ?? variable} = ${labels.join(' or ')}`;
    })
    .join(', ');
}

/** The label the author gave a value (its id when the variable is unknown). */
export function valueLabel(variable: Variable | undefined, id: string): string {
  return variable?.values.find((v) => v.id === id)?.label ?? id;
}

/** A flow's title with more after it (`HTTPS: Key exchange = RSA`); the rest alone for a flow without a title. */
export function titled(title: string, rest: string): string {
  return title === '' ? rest : `${title}: ${rest}`;
}
