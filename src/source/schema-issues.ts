import type { z } from 'zod';
import { type DiagnosticCode, DiagnosticCodes, error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean, listOf } from '../shared/suggest.js';
import type { Locator, PathSegment } from './yaml.js';

export type SchemaIssue = z.core.$ZodIssue;

/**
 * How one kind of YAML document (a spec, the config file) names its parts in messages, and the
 * issues it explains its own way. Everything else reads the same in both.
 */
export interface DocumentVocabulary {
  /** The place at `path`: `"title"`, `item 2 of "phases"`, or the document itself at the root. */
  where(path: readonly PathSegment[]): string;
  /** The map at `path`, named for an unknown key's message, and the keys it takes. */
  map(path: readonly PathSegment[], value: unknown): { name: string; keys: readonly string[] };
  /** A value as a message quotes it. */
  describe(value: unknown): string;
  /** The code of an issue nothing here explains. */
  otherCode: DiagnosticCode;
  /** The document's own reading of an issue, or undefined for the common one; `translate` reads inner issues (of a union). */
  own?(issue: SchemaIssue, at: IssueSite, translate: (inner: SchemaIssue, base: readonly PathSegment[]) => Diagnostic[]): Diagnostic[] | undefined;
}

/** Where an issue is: its full path, the value there, and the whole document's data. */
export interface IssueSite {
  path: PathSegment[];
  value: unknown;
  data: unknown;
}

/** A place in a document, for messages: `"title"`, `item 2 of "phases"`; `root` for the document itself. */
export function placeName(path: readonly PathSegment[], root: string): string {
  if (path.length === 0) return root;
  const key = path.filter((s) => typeof s === 'string').at(-1);
  const last = path.at(-1);
  return typeof last === 'number' ? `item ${last + 1} of "${key}"` : `"${key}"`;
}

/** The value at `path` inside parsed YAML data, or undefined when there is none. */
export function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PathSegment, unknown>)[segment];
  }
  return value;
}

/** zod's issues with a document as diagnostics at their place in the file, in the document's words. */
export function issueDiagnostics(issues: readonly SchemaIssue[], data: unknown, locate: Locator, vocabulary: DocumentVocabulary): Diagnostic[] {
  const translate = (issue: SchemaIssue, base: readonly PathSegment[]): Diagnostic[] => {
    const path = [...base, ...(issue.path as PathSegment[])];
    const value = valueAt(data, path);
    const own = vocabulary.own?.(issue, { path, value, data }, translate);
    if (own) return own;
    const place = vocabulary.where(path);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const { name, keys } = vocabulary.map(path, value);
        return issue.keys.map((key) =>
          error(
            DiagnosticCodes.UNKNOWN_KEY,
            `unknown key "${key}" in ${name}${keys.length ? `; allowed: ${keys.join(', ')}` : ''}`,
            locate([...path, key], 'key'),
            didYouMean(key, keys),
          ),
        );
      }
      case 'invalid_value': {
        const allowed = issue.values.map(String);
        const hint = typeof value === 'string' ? didYouMean(value, allowed) : undefined;
        return [error(DiagnosticCodes.INVALID_VALUE, `${place} must be ${listOf(allowed)}, not ${vocabulary.describe(value)}`, locate(path), hint)];
      }
      case 'too_small':
        return [error(DiagnosticCodes.EMPTY_LIST, `${place} must not be empty`, locate(path))];
      default:
        return [error(vocabulary.otherCode, `${place}: ${issue.message}`, locate(path))];
    }
  };
  return issues.flatMap((issue) => translate(issue, []));
}
