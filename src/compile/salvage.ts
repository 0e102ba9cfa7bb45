import type { PathSegment } from '../source/yaml.js';
import { ID_PATTERN, SpecSchema, type SpecInput } from './schema.js';
import { valueAt } from '../source/schema-issues.js';

/**
 * A spec with a few malformed parts can still have its other parts checked for references,
 * so that one run reports every problem of the file. Each step holding a shape problem is
 * replaced by a note that references nothing new (so later steps keep their positions), each
 * malformed participant is reset, and what is left is returned if that is valid.
 */
export function salvage(data: unknown, problemPaths: readonly (readonly PathSegment[])[]): SpecInput | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const copy = structuredClone(data) as Record<string, unknown>;
  const participants = (copy.participants ?? {}) as Record<string, unknown>;
  const placeholders: [unknown[], number][] = [];

  for (const path of problemPaths) {
    const stepAt = innermostStep(path);
    if (stepAt >= 0) {
      const list = valueAt(copy, path.slice(0, stepAt));
      if (!Array.isArray(list)) return undefined;
      placeholders.push([list, path[stepAt] as number]);
    } else if (path[0] === 'participants' && path.length >= 2) {
      const key = String(path[1]);
      if (ID_PATTERN.test(key)) participants[key] = {};
      else delete participants[key];
    } else if (path[0] === 'title' || path[0] === 'description') {
      copy[path[0]] = '';
    } else if (path[0] === 'protoflow') {
      copy.protoflow = 1;
    } else if (path[0] === 'scenarios') {
      delete copy.scenarios;
    } else {
      return undefined;
    }
  }
  const anyParticipant = Object.keys(participants).find((id) => ID_PATTERN.test(id));
  if (placeholders.length > 0 && anyParticipant === undefined) return undefined;
  for (const [list, index] of placeholders) list[index] = { note: 'removed', at: anyParticipant };
  const reparsed = SpecSchema.safeParse(copy);
  return reparsed.success ? reparsed.data : undefined;
}

/** Index in the path of the innermost step (a number right after "steps"), or -1. */
function innermostStep(path: readonly PathSegment[]): number {
  for (let k = path.length - 1; k > 0; k--) {
    if (typeof path[k] === 'number' && path[k - 1] === 'steps') return k;
  }
  return -1;
}
