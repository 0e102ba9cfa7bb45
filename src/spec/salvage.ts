import type { PathSegment } from '../source/yaml.js';
import { ID_PATTERN, SpecSchema, type SpecInput } from './schema.js';

/**
 * A spec with a few malformed parts can still have its other parts checked for references,
 * so that one run reports every problem of the file. This removes each step (or resets each
 * top-level entry) that holds a shape problem and returns what is left, if that is valid.
 */
export function salvage(data: unknown, problemPaths: readonly (readonly PathSegment[])[]): SpecInput | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const copy = structuredClone(data) as Record<string, unknown>;
  const removals = new Map<unknown[], Set<number>>();

  for (const path of problemPaths) {
    const stepAt = innermostStep(path);
    if (stepAt >= 0) {
      const list = valueAt(copy, path.slice(0, stepAt));
      if (!Array.isArray(list)) return undefined;
      const indexes = removals.get(list) ?? new Set<number>();
      indexes.add(path[stepAt] as number);
      removals.set(list, indexes);
    } else if (path[0] === 'participants' && path.length >= 2) {
      const participants = copy.participants as Record<string, unknown>;
      const key = String(path[1]);
      if (ID_PATTERN.test(key)) participants[key] = {};
      else delete participants[key];
    } else if (path[0] === 'title' || path[0] === 'description') {
      copy[path[0]] = '';
    } else if (path[0] === 'protoflow') {
      copy.protoflow = 1;
    } else {
      return undefined;
    }
  }

  const anyParticipant = Object.keys((copy.participants ?? {}) as object)[0];
  for (const [list, indexes] of removals) {
    const kept = list.filter((_, i) => !indexes.has(i));
    // A block must keep one step; a note stands in for the removed ones and references nothing new.
    if (kept.length === 0 && anyParticipant !== undefined) kept.push({ note: '', at: anyParticipant });
    list.splice(0, list.length, ...kept);
  }
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

export function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PathSegment, unknown>)[segment];
  }
  return value;
}
