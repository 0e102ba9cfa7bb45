import { DiagnosticCodes, error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Locator, PathSegment } from '../source/yaml.js';
import {
  ActionSchema,
  IncludeSchema,
  MessageSchema,
  NO_CONTROL_CHARACTERS,
  NOT_BLANK,
  NoteSchema,
  ParticipantGroupSchema,
  ParticipantSchema,
  SpecSchema,
  ScenariosSchema,
  DeclaredScenarioSchema,
  STEP_KINDS,
  TRACE_FACTS,
  VariableSchema,
  type SpecInput,
} from './schema.js';
import { salvage } from './salvage.js';
import { didYouMean, listOf } from '../shared/suggest.js';
import { type DocumentVocabulary, type IssueSite, issueDiagnostics, placeName, type SchemaIssue, valueAt } from '../source/schema-issues.js';

type Issue = SchemaIssue;

/** Keys each kind of map accepts, for did-you-mean hints on unknown keys. */
const KNOWN_KEYS: Record<string, readonly string[]> = {
  'the spec': Object.keys(SpecSchema.shape),
  'message step': Object.keys(MessageSchema.shape),
  'action step': Object.keys(ActionSchema.shape),
  'note step': Object.keys(NoteSchema.shape),
  'alt step': ['alt'],
  'opt step': ['opt'],
  'loop step': ['loop'],
  'par step': ['par'],
  'group step': ['group'],
  'include step': Object.keys(IncludeSchema.shape),
  'delay step': ['delay'],
  'critical step': ['critical'],
  'break step': ['break'],
  'destroy step': ['destroy'],
  branch: ['when', 'label', 'steps'],
  'alt branch': ['when', 'label', 'steps', 'color'],
  'par branch': ['label', 'steps', 'color'],
  block: ['label', 'steps', 'color'],
  'break block': ['when', 'label', 'steps', 'color'],
  participant: Object.keys(ParticipantSchema.shape),
  'participant group': Object.keys(ParticipantGroupSchema.shape),
  variable: Object.keys(VariableSchema.shape),
  '"trace"': TRACE_FACTS,
  phase: ['title', 'id', 'steps'],
  scenarios: Object.keys(ScenariosSchema.shape),
  scenario: Object.keys(DeclaredScenarioSchema.shape),
};

export interface ShapeResult {
  /** The spec, when its shape is valid. */
  spec?: SpecInput;
  /** What is left of an invalid spec once its malformed parts are removed, for further checks. */
  salvaged?: SpecInput;
  diagnostics: Diagnostic[];
}

/** Checks the shape of a spec against the schema; every problem becomes a positioned diagnostic. */
export function validateShape(data: unknown, locate: Locator): ShapeResult {
  const result = SpecSchema.safeParse(data);
  if (result.success) return { spec: result.data, diagnostics: [] };
  const diagnostics = issueDiagnostics(result.error.issues, data, locate, specVocabulary(locate));
  const salvaged = salvage(
    data,
    result.error.issues.map((issue) => issue.path as PathSegment[]),
  );
  return { ...(salvaged ? { salvaged } : {}), diagnostics };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return value.length <= 40 ? JSON.stringify(value) : 'text';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** What kind of map sits at a path (a key of KNOWN_KEYS), judged from the path and the value. */
function mapKind(path: readonly PathSegment[], value: unknown): string {
  const last = path.at(-1);
  const parent = path.at(-2);
  if (path.length === 0) return 'the spec';
  if (parent === 'participants') return 'participant';
  if (path.length === 2 && parent === 'groups') return 'participant group';
  if (parent === 'variables') return 'variable';
  if (parent === 'phases') return 'phase';
  if (path.length === 1 && last === 'scenarios') return 'scenarios';
  if (parent === 'only' && path[0] === 'scenarios') return 'scenario';
  if (last === 'opt') return 'branch';
  if (parent === 'alt') return 'alt branch';
  if (parent === 'par') return 'par branch';
  if (last === 'break') return 'break block';
  if (last === 'loop' || last === 'group' || last === 'critical') return 'block';
  if (isPlainObject(value)) {
    const kind = STEP_KINDS.find((k) => k in value);
    if (kind) return `${kind} step`;
  }
  return `"${String(last)}"`;
}

/** A place in a spec, for messages: `"title"`, `item 2 of "phases"`. */
export function where(path: readonly PathSegment[]): string {
  return placeName(path, 'the spec');
}

/** How a spec's messages name its parts, and the issues only a spec has (steps, ids, blank and control-laden text). */
function specVocabulary(locate: Locator): DocumentVocabulary {
  return {
    where,
    map: (path, value) => {
      const name = mapKind(path, value);
      return { name, keys: KNOWN_KEYS[name] ?? [] };
    },
    describe,
    otherCode: DiagnosticCodes.INVALID_VALUE,
    own: (issue, site, translate) => specIssue(issue, site, locate, translate),
  };
}

function specIssue(
  issue: Issue,
  { path, value, data }: IssueSite,
  locate: Locator,
  translate: (inner: Issue, base: readonly PathSegment[]) => Diagnostic[],
): Diagnostic[] | undefined {
  const key = path.at(-1);
  // A required key that is not there, whatever it would take (one type, or one of several).
  if (value === undefined && typeof key === 'string' && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) {
    const parentPath = path.slice(0, -1);
    return [error(DiagnosticCodes.MISSING_KEY, `missing required key "${key}" in ${mapKind(parentPath, valueAt(data, parentPath))}`, locate(parentPath))];
  }
  switch (issue.code) {
    case 'invalid_union':
      return unionDiagnostics(issue, path, value, locate, translate);
    case 'unrecognized_keys': {
      // zod reports a step with two kinds as an unknown key of the first kind's map.
      const kinds = isPlainObject(value) && mapKind(path, value).endsWith(' step') ? STEP_KINDS.filter((k) => k in value) : [];
      return kinds.length > 1 ? [twoKinds(kinds, path, locate)] : undefined;
    }
    case 'invalid_type': {
      const expected = typeName(issue.expected);
      const quoteHint =
        issue.expected !== 'string'
          ? undefined
          : typeof value === 'number' || typeof value === 'boolean' || value === null
            ? 'YAML read this as a number, boolean or null; put it in quotes to keep it as text'
            : isPlainObject(value)
              ? 'YAML read this as a map (": " starts one); put the text in quotes'
              : undefined;
      return [error(DiagnosticCodes.WRONG_TYPE, `${where(path)} must be ${expected}, not ${describe(value)}`, locate(path), quoteHint)];
    }
    case 'invalid_format': {
      if (issue.format === 'regex' && 'pattern' in issue && issue.pattern === String(NOT_BLANK)) {
        const leaveOut = isOptionalText(path, valueAt(data, path.slice(0, -1))) ? ', or leave the key out' : '';
        return [error(DiagnosticCodes.BLANK_TEXT, `${where(path)} is empty; write the text to draw${leaveOut}`, locate(path))];
      }
      if (issue.format === 'regex' && 'pattern' in issue && issue.pattern === String(NO_CONTROL_CHARACTERS)) {
        const text = typeof value === 'string' ? value : '';
        const control = /[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]/.exec(text)?.[0];
        const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(text)?.[0];
        const found = control ?? lone;
        const code = found?.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0') ?? '?';
        const what = control !== undefined ? `the control character U+${code}` : `a lone surrogate U+${code} (half of a character)`;
        return [error(DiagnosticCodes.CONTROL_CHARACTER, `${where(path)} contains ${what}, which no diagram can show; remove it`, locate(path))];
      }
      return [invalidId(value, locate(path))];
    }
    case 'invalid_key':
      return [invalidId(path.at(-1), locate(path, 'key'))];
    case 'invalid_value':
      if (path.length === 1 && path[0] === 'protoflow') {
        return [error(DiagnosticCodes.UNSUPPORTED_VERSION, `unsupported format version ${describe(value)}; this protoflow reads version 1`, locate(path))];
      }
      return undefined;
    case 'too_small': {
      const parent = path.at(-2);
      if (key === 'steps' || parent === 'alt' || key === 'alt') {
        return [error(DiagnosticCodes.EMPTY_BRANCH, `${where(path)} has no steps; a block needs at least one`, locate(path))];
      }
      if (key === 'par') return [error(DiagnosticCodes.EMPTY_LIST, '"par" needs at least two branches', locate(path))];
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Texts a spec must have where it has their key: a step's own text, a phase's title, a loop's or group's label. */
const REQUIRED_TEXT: Record<string, string> = {
  'message step': 'message',
  'action step': 'action',
  'note step': 'note',
  'include step': 'include',
  phase: 'title',
  block: 'label',
};

/** Whether the blank text at `path` may be left out instead (a label, a description, an item of fields is not). */
function isOptionalText(path: readonly PathSegment[], parent: unknown): boolean {
  const key = path.at(-1);
  if (typeof key !== 'string') return false;
  return REQUIRED_TEXT[mapKind(path.slice(0, -1), parent)] !== key;
}

/** Reports the alternative the author evidently meant, instead of every alternative's complaints. */
function unionDiagnostics(
  issue: Extract<Issue, { code: 'invalid_union' }>,
  path: PathSegment[],
  value: unknown,
  locate: Locator,
  translate: (inner: Issue, base: readonly PathSegment[]) => Diagnostic[],
): Diagnostic[] {
  // The only union whose alternatives are maps is the step union.
  if (isPlainObject(value)) {
    const kinds = STEP_KINDS.filter((k) => k in value);
    if (kinds.length === 0) {
      const first = Object.keys(value)[0];
      return [
        error(
          DiagnosticCodes.UNKNOWN_STEP_KIND,
          `a step starts with one of ${STEP_KINDS.join(', ')}${first ? `, not "${first}"` : ''}`,
          first ? locate([...path, first], 'key') : locate(path),
          first ? didYouMean(first, STEP_KINDS) : undefined,
        ),
      ];
    }
    if (kinds.length > 1) return [twoKinds(kinds, path, locate)];
    const chosen = issue.errors[STEP_KINDS.indexOf(kinds[0]!)] ?? [];
    return chosen.flatMap((inner) => translate(inner, path));
  }
  // Scalar-or-list unions: keep the alternatives whose type fits the value.
  const fitting = issue.errors.filter((errs) => !errs.some((e) => e.code === 'invalid_type' && e.path.length === 0));
  if (fitting.length === 1) return fitting[0]!.flatMap((inner) => translate(inner, path));
  const expected = issue.errors
    .flatMap((errs) => errs.filter((e) => e.code === 'invalid_type' && e.path.length === 0))
    .map((e) => (e.code === 'invalid_type' ? typeName(e.expected) : ''));
  return [error(DiagnosticCodes.WRONG_TYPE, `${where(path)} must be ${[...new Set(expected)].join(' or ')}, not ${describe(value)}`, locate(path))];
}

/** How a spec author calls a JSON type. */
function typeName(expected: string): string {
  return expected === 'string' ? 'text' : expected === 'object' ? 'a map' : expected === 'array' ? 'a list' : expected;
}

function invalidId(name: unknown, span: ReturnType<Locator>): Diagnostic {
  return error(DiagnosticCodes.INVALID_ID, `"${String(name)}" is not a valid id: an id starts with a letter and has only letters, digits, "_" and "-"`, span);
}

function twoKinds(kinds: readonly string[], path: readonly PathSegment[], locate: Locator): Diagnostic {
  return error(DiagnosticCodes.UNKNOWN_STEP_KIND, `a step has exactly one kind, but this one has ${listOf(kinds, 'and')}`, locate([...path, kinds[1]!], 'key'));
}
