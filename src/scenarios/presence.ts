import { messagesAndActions } from '../ir/steps.js';
import type { FlowIR, SourcePath } from '../ir/types.js';

/** One message or action of a flow, and in which of the given scenarios it happens. */
export interface PresenceRow {
  kind: 'message' | 'action';
  label: string;
  id?: string;
  /** The sender, receiver or actor, for telling apart two steps of the same name. */
  participants: string[];
  source: SourcePath;
  /** One entry per column, in the order given. */
  present: boolean[];
}

/**
 * Every message and action of the flow, in flow order (branches in the order written), marked in
 * each column where one of the column's projections (see `projectFlow`) has it: the "message
 * presence" table of an RFC. A column has several projections when scenarios that draw the same
 * flow share it, and their steps may be written in different places of the spec.
 */
export function presenceMatrix(flow: FlowIR, columns: readonly (readonly FlowIR[])[]): PresenceRow[] {
  const all = (f: FlowIR) => f.phases.flatMap((p) => messagesAndActions(p.steps));
  const kept = columns.map((projections) => new Set(projections.flatMap(all).map((step) => JSON.stringify(step.source))));
  return all(flow).map((step) => ({
    kind: step.kind,
    label: step.label,
    ...(step.id !== undefined ? { id: step.id } : {}),
    participants: step.kind === 'message' ? [step.from, step.to] : [step.by],
    source: step.source,
    present: kept.map((set) => set.has(JSON.stringify(step.source))),
  }));
}
