import { drawnSteps } from '../ir/steps.js';
import type { FlowIR, SourcePath } from '../ir/types.js';

/** One message or action of a flow (or an included flow drawn as one box), and in which of the given scenarios it happens. */
export interface PresenceRow {
  kind: 'message' | 'action' | 'ref';
  label: string;
  id?: string;
  /** The sender, receiver or actor (the first and last participant of a box), for telling apart two steps of the same name. */
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
  const all = (f: FlowIR) => f.phases.flatMap((p) => drawnSteps(p.steps));
  const kept = columns.map((projections) => new Set(projections.flatMap(all).map((step) => JSON.stringify(step.source))));
  return all(flow).map((step) => ({
    kind: step.kind,
    label: step.kind === 'message' && step.number !== undefined ? `${step.number} ${step.label}` : step.label,
    ...(step.kind !== 'ref' && step.id !== undefined ? { id: step.id } : {}),
    participants: step.kind === 'message' ? [step.from, step.to] : step.kind === 'action' ? [step.by] : firstAndLast(step.over),
    source: step.source,
    present: kept.map((set) => set.has(JSON.stringify(step.source))),
  }));
}

function firstAndLast(ids: readonly string[]): string[] {
  return ids.length > 1 ? [ids[0]!, ids.at(-1)!] : [...ids];
}
