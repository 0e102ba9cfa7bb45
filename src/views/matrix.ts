import { valueLabel } from '../ir/describe.js';
import type { FlowIR } from '../ir/types.js';
import { presenceMatrix } from '../scenarios/presence.js';
import type { Drawing } from '../scenarios/plan.js';
import { scenarioText } from '../scenarios/scenario.js';
import type { Locator } from '../source/yaml.js';

/** A scenario column of the presence matrix. */
export interface MatrixColumn {
  /** "S1", "S2", … in enumeration order. */
  key: string;
  /** What the drawn files of this scenario are named after: `keyExchange-rsa--clientAuth-on`. */
  name: string;
  /** The title the spec gave the scenario, if it did. */
  title?: string;
  /** Per variable, in declaration order, the values the column stands for; `any` when it is every value. */
  values: { variable: string; values: string[]; labels: string[]; any: boolean }[];
  /** Other scenarios that draw the same flow, as `--scenario` reads them. */
  sameAs: string[];
}

/** A message or action of the flow (or an included flow drawn as one box), and the columns that have it. */
export interface MatrixRow {
  kind: 'message' | 'action' | 'ref';
  label: string;
  id?: string;
  /** Participant labels: sender and receiver of a message, the actor of an action. */
  from: string;
  to?: string;
  line: number;
  /** The spec it was written in, when an include brought it from another. */
  file?: string;
  present: boolean[];
}

/** The "message presence" table of a spec, in flow order: the data behind `NAME.matrix.md` and `matrix --format json`. */
export interface MatrixView {
  title: string;
  variables: { id: string; label: string }[];
  /** True when some column has a title of its own. */
  titled: boolean;
  /** True when some column stands for scenarios besides its own (they draw the same flow). */
  merged: boolean;
  columns: MatrixColumn[];
  rows: MatrixRow[];
}

export function matrixView(flow: FlowIR, drawings: readonly Drawing[], locate: Locator): MatrixView {
  const label = (id: string) => flow.participants.find((p) => p.id === id)?.label ?? id;
  const columns = drawings.map(
    (drawing, i): MatrixColumn => ({
      key: `S${i + 1}`,
      name: drawing.suffix,
      ...(drawing.title !== undefined ? { title: drawing.title } : {}),
      values: flow.variables.map((variable) => {
        const term = drawing.covers.find((t) => t.variable === variable.id);
        const values = term ? [...term.values] : variable.values.map((v) => v.id);
        return { variable: variable.id, values, labels: values.map((id) => valueLabel(variable, id)), any: !term };
      }),
      sameAs: drawing.sameAs.map(scenarioText),
    }),
  );
  const own = locate([]).file;
  const rows = presenceMatrix(
    flow,
    drawings.map((d) => d.projections),
  ).map((row): MatrixRow => {
    const at = locate(row.source);
    return {
      kind: row.kind,
      label: row.label,
      ...(row.id !== undefined ? { id: row.id } : {}),
      from: label(row.participants[0]!),
      ...(row.participants[1] !== undefined ? { to: label(row.participants[1]) } : {}),
      line: at.line,
      ...(at.file !== own ? { file: at.file } : {}),
      present: row.present,
    };
  });
  return {
    title: flow.title,
    variables: flow.variables.map(({ id, label }) => ({ id, label })),
    titled: columns.some((c) => c.title !== undefined),
    merged: columns.some((c) => c.sameAs.length > 0),
    columns,
    rows,
  };
}
