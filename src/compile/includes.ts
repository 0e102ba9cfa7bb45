import { DiagnosticCodes, error, failureReason, type Diagnostic, type Result, type Span } from '../diagnostics/diagnostic.js';
import { type LoweredIncludes, siteKey } from './lower.js';
import type { Condition, Exclusion, FlowIR, SourcePath, Step, Variable } from '../ir/types.js';
import { everyStep, participantsOf } from '../ir/steps.js';
import { projectSteps } from '../scenarios/projection.js';
import { decodeUtf8, readRegularFileSync, type SourceFile } from '../source/source-file.js';
import type { Locator, PathSegment } from '../source/yaml.js';
import { display, resolveIncludePath } from './include-path.js';
import { flowStepLists, ID_PATTERN, innerStepInputs, type IncludeInput, type SpecInput, type StepInput } from './schema.js';
import { didYouMean } from '../shared/suggest.js';

/**
 * The most steps a spec's includes may draw, counted after expansion: a chain of specs that each
 * include the one before ten times would otherwise double the memory needed at every link, as an
 * alias bomb does (PF104).
 */
export const MAX_INCLUDED_STEPS = 100_000;

/** A spec read to compile another: the file its includes resolve against, and the folder they must stay in. */
export interface IncludeContext {
  /** Real path (symbolic links resolved) of the spec being compiled. */
  file: string;
  /** Real path of the folder every include must stay inside. */
  root: string;
  /** The working folder: included files are named relative to it. */
  cwd: string;
  /** The specs being compiled, outermost first (real path and name): including one of them again is a cycle. */
  chain: readonly { real: string; name: string }[];
  /** Included specs compiled so far in this compilation, by real path: a spec included twice is compiled once. */
  compiled: Map<string, ReturnType<CompileFragment>>;
}

/** A spec compiled on its own, as includes need it. */
export interface CompiledFragment {
  flow: FlowIR;
  locate: Locator;
}

/** A spec compiled, with every file its includes read (also when it has errors: fixing one of them may fix it). */
export type CompileFragment = (file: SourceFile, context: IncludeContext) => Result<CompiledFragment> & { files: readonly IncludedFile[] };

/** A file an include named: its real path and the text compiled, or no text when it does not exist (yet). */
export interface IncludedFile {
  path: string;
  text?: string;
}

/** What an include step draws in its place: the included steps, or one reference box standing for them. */
export interface ResolvedInclude {
  steps: Step[];
  collapse?: { label: string; over: string[] };
  /** The included spec's own locator: parts of it are found in its file. */
  locate: Locator;
}

/** What lowering needs (see LoweredIncludes), with what resolving found on the way. */
export interface Includes extends LoweredIncludes {
  sites: Map<string, ResolvedInclude>;
  /** In order of first inclusion: those this spec neither declares nor fixes. */
  variables: Variable[];
  exclusions: Exclusion[];
  files: IncludedFile[];
  diagnostics: Diagnostic[];
  /** Steps the includes resolved so far draw, every block and branch counted. */
  expanded: number;
}

/**
 * Compiles every spec `spec` includes (each on its own, recursively, within the context's root
 * and without cycles) and fits its flow to this one: its participants mapped through `with` (or
 * taken by the same id), the variables `with` fixes projected away, and every source path led
 * through the include step, so that `locateThrough` finds it in the included file.
 */
export function resolveIncludes(spec: SpecInput, locate: Locator, context: IncludeContext, compile: CompileFragment): Includes {
  const found: Includes = { sites: new Map(), variables: [], exclusions: [], files: [], diagnostics: [], expanded: 0 };
  for (const [step, path] of includeSteps(spec)) {
    const resolved = resolveOne(step, path, spec, locate, context, compile, found);
    if (resolved) found.sites.set(siteKey(path), resolved);
  }
  return found;
}

/**
 * A locator for a spec with includes: a path that goes through an include step
 * (`[...step, 'include', ...path in the included spec]`) is found in the included file, with the
 * include step's place added to the span's `includedFrom`.
 */
export function locateThrough(locate: Locator, sites: ReadonlyMap<string, ResolvedInclude>): Locator {
  if (sites.size === 0) return locate;
  return (path, part) => {
    for (let i = path.indexOf('include'); i > 0 && i + 1 < path.length; i = path.indexOf('include', i + 1)) {
      const site = sites.get(siteKey(path.slice(0, i)));
      if (!site) continue;
      const inner = site.locate(path.slice(i + 1), part);
      return { ...inner, includedFrom: [...(inner.includedFrom ?? []), locate(path.slice(0, i + 1))] };
    }
    return locate(path, part);
  };
}

function* includeSteps(spec: SpecInput): Generator<[IncludeInput, PathSegment[]]> {
  function* walk(steps: readonly StepInput[], path: PathSegment[]): Generator<[IncludeInput, PathSegment[]]> {
    for (const [index, step] of steps.entries()) {
      const at = [...path, index];
      if ('include' in step) yield [step, at];
      else for (const [inner, innerPath] of innerStepInputs(step, at)) yield* walk(inner, innerPath);
    }
  }
  for (const [steps, path] of flowStepLists(spec)) yield* walk(steps, path);
}

function resolveOne(
  step: IncludeInput,
  path: PathSegment[],
  spec: SpecInput,
  locate: Locator,
  context: IncludeContext,
  compile: CompileFragment,
  found: Includes,
): ResolvedInclude | undefined {
  const at = (...rest: PathSegment[]) => locate([...path, ...rest]);
  const fail = (code: Diagnostic['code'], message: string, span: Span, hint?: string) => {
    found.diagnostics.push(error(code, message, span, hint));
    return undefined;
  };
  const hash = step.include.lastIndexOf('#');
  const written = hash < 0 ? step.include : step.include.slice(0, hash);
  const phaseId = hash < 0 ? undefined : step.include.slice(hash + 1);
  if (phaseId !== undefined && !ID_PATTERN.test(phaseId)) {
    const what = phaseId === '' ? 'nothing follows "#"' : `"${phaseId}" is not an id`;
    return fail(DiagnosticCodes.INCLUDE_UNKNOWN_PHASE, `${what}: after "#" comes the id of a phase of the included spec`, at('include'));
  }
  if (step.label !== undefined && step.collapse !== true) {
    return fail(DiagnosticCodes.INCLUDE_MAPPING, '"label" names the reference box of a collapsed include; add collapse: true or leave it out', at('label'));
  }

  const target = resolveIncludePath(written, context.file, context.root, context.cwd);
  if ('problem' in target) {
    // A spec that includes a missing file is built again once the file is there.
    if (target.file !== undefined) found.files.push({ path: target.file });
    const code = target.problem === 'outside' ? DiagnosticCodes.INCLUDE_OUTSIDE_ROOT : DiagnosticCodes.INCLUDE_NOT_FOUND;
    return fail(code, target.message, at('include'), target.hint);
  }
  const name = display(target.file, context.cwd);
  const cycleStart = context.chain.findIndex((entry) => entry.real === target.real);
  if (cycleStart >= 0) {
    const names = [...context.chain.slice(cycleStart).map((entry) => entry.name), name];
    return fail(DiagnosticCodes.INCLUDE_CYCLE, `include cycle: ${names.join(' → ')}`, at('include'));
  }
  let compiled = context.compiled.get(target.real);
  if (!compiled) {
    let bytes: Buffer;
    try {
      bytes = readRegularFileSync(target.real);
    } catch (cause) {
      return fail(DiagnosticCodes.INCLUDE_NOT_FOUND, `cannot include "${written}": ${name} cannot be read (${failureReason(cause)})`, at('include'));
    }
    const decoded = decodeUtf8(bytes, name);
    if (decoded.value === undefined) {
      found.diagnostics.push(...decoded.diagnostics.map((d) => (d.span ? { ...d, span: { ...d.span, includedFrom: [at('include')] } } : d)));
      return undefined;
    }
    const text = decoded.value;
    compiled = compile({ name, text }, { ...context, file: target.real, chain: [...context.chain, { real: target.real, name }] });
    compiled = { ...compiled, files: [{ path: target.real, text }, ...compiled.files] };
    context.compiled.set(target.real, compiled);
  }
  const site = at('include');
  // Warnings of the included spec are its own; its errors stop this spec too, said once, at the
  // first place it is included.
  if (!found.files.some((known) => known.path === target.real)) {
    for (const d of compiled.diagnostics) {
      if (d.severity === 'error') found.diagnostics.push(d.span ? { ...d, span: { ...d.span, includedFrom: [...(d.span.includedFrom ?? []), site] } } : d);
    }
  }
  found.files.push(...compiled.files.filter((file) => !found.files.some((known) => known.path === file.path)));
  if (!compiled.value) return undefined;
  const fragment = compiled.value;

  const phases = fragment.flow.phases;
  const phase = phaseId === undefined ? undefined : phases.find((p) => p.id === phaseId);
  if (phaseId !== undefined && !phase) {
    const ids = phases.flatMap((p) => (p.id === undefined ? [] : [p.id]));
    return fail(
      DiagnosticCodes.INCLUDE_UNKNOWN_PHASE,
      `${name} has no phase with the id "${phaseId}"${ids.length > 0 ? `; its phase ids are ${ids.join(', ')}` : '; none of its phases has an id'}`,
      site,
      didYouMean(phaseId, ids),
    );
  }

  const mapping = fitTo(step, spec, fragment.flow, name, (rest, part) => locate([...path, ...rest], part), found);
  if (!mapping) return undefined;
  const chosen = phase ? phase.steps : phases.flatMap((p) => p.steps);
  found.expanded += everyStep(chosen).length;
  if (found.expanded > MAX_INCLUDED_STEPS) {
    return fail(
      DiagnosticCodes.INCLUDE_TOO_LARGE,
      `with this include, the includes of this spec draw ${found.expanded} steps, more than the ${MAX_INCLUDED_STEPS} protoflow expands`,
      site,
      'each include draws every step of the spec it includes: a chain of specs that each include the one before several times multiplies them at every link',
    );
  }
  const projected = projectSteps(chosen, mapping.fixed);
  const used = participantsIn(projected);
  const ownParticipants = Object.keys(spec.participants);
  const unmapped = [...used].filter((id) => !mapping.participants.has(id) && !ownParticipants.includes(id));
  if (unmapped.length > 0) {
    const example = unmapped.map((id, i) => `${id}: ${ownParticipants[i % ownParticipants.length] ?? id}`).join(', ');
    return fail(
      DiagnosticCodes.INCLUDE_MAPPING,
      `${name} draws ${unmapped.map((id) => `"${id}"`).join(', ')}, which ${unmapped.length > 1 ? 'are not participants' : 'is not a participant'} here`,
      site,
      `map ${unmapped.length > 1 ? 'them' : 'it'} to participants of this spec: with: { ${example} }`,
    );
  }
  if (!shareVariables(projected, fragment.flow, spec, mapping.fixed, path, name, site, found)) return undefined;

  const participant = (id: string) => mapping.participants.get(id) ?? id;
  const steps = adaptSteps(projected, participant, (source) => [...path, 'include', ...source]);
  if (steps.length === 0) return fail(DiagnosticCodes.INCLUDE_MAPPING, `${name} draws nothing with the values "with" fixes`, site);
  if (!step.collapse) return { steps, locate: fragment.locate };
  const drawn = new Set([...used].map(participant));
  const over = ownParticipants.filter((id) => drawn.has(id));
  return { steps, locate: fragment.locate, collapse: { label: step.label ?? phase?.title ?? fragment.flow.title, over } };
}

/** `with`, read: the included spec's participants → participants here, and the variables it fixes → their values. */
function fitTo(
  step: IncludeInput,
  spec: SpecInput,
  flow: FlowIR,
  name: string,
  at: (path: PathSegment[], part?: 'key') => Span,
  found: Includes,
): { participants: Map<string, string>; fixed: Map<string, string> } | undefined {
  const participants = new Map<string, string>();
  const fixed = new Map<string, string>();
  const theirParticipants = flow.participants.map((p) => p.id);
  const theirVariables = flow.variables.map((v) => v.id);
  const ownParticipants = Object.keys(spec.participants);
  let ok = true;
  const problem = (message: string, span: Span, hint?: string) => {
    found.diagnostics.push(error(DiagnosticCodes.INCLUDE_MAPPING, message, span, hint));
    ok = false;
  };
  for (const [key, value] of Object.entries(step.with ?? {})) {
    const isParticipant = theirParticipants.includes(key);
    const variable = flow.variables.find((v) => v.id === key);
    if (isParticipant && variable) {
      problem(`"${key}" is both a participant and a variable of ${name}; "with" cannot tell which it maps`, at(['with', key], 'key'));
    } else if (isParticipant) {
      if (ownParticipants.includes(value)) participants.set(key, value);
      else
        problem(
          `undeclared participant "${value}" (the participants are ${ownParticipants.join(', ')})`,
          at(['with', key]),
          didYouMean(value, ownParticipants),
        );
    } else if (variable) {
      const values = variable.values.map((v) => v.id);
      if (values.includes(value)) fixed.set(key, value);
      else problem(`${name}'s variable "${key}" has no value "${value}"; its values are ${values.join(', ')}`, at(['with', key]), didYouMean(value, values));
    } else {
      const known = [...theirParticipants, ...theirVariables];
      problem(`${name} has no participant or variable "${key}"; it has ${known.join(', ')}`, at(['with', key], 'key'), didYouMean(key, known));
    }
  }
  return ok ? { participants, fixed } : undefined;
}

/**
 * The included flow's variables that still decide something once `with` fixed its own: a variable
 * this spec declares too is shared (it must have every value of the included one), any other is
 * brought in, with the included spec's exclusions on it. Exclusions that the fixed values already
 * decide either vanish or, when they exclude exactly what `with` chose, are an error.
 */
function shareVariables(
  steps: readonly Step[],
  flow: FlowIR,
  spec: SpecInput,
  fixed: ReadonlyMap<string, string>,
  path: PathSegment[],
  name: string,
  site: Span,
  found: Includes,
): boolean {
  const used = variablesOf(steps);
  let ok = true;
  for (const variable of flow.variables.filter((v) => used.has(v.id))) {
    const own = spec.variables?.[variable.id];
    const brought = found.variables.find((v) => v.id === variable.id);
    const ownValues = own ? Object.keys(own.values) : brought?.values.map((v) => v.id);
    if (ownValues === undefined) {
      found.variables.push({ ...variable, source: [...path, 'include', ...variable.source] });
      continue;
    }
    const missing = variable.values.map((v) => v.id).filter((id) => !ownValues.includes(id));
    if (missing.length > 0) {
      found.diagnostics.push(
        error(
          DiagnosticCodes.INCLUDE_VARIABLE,
          `${name}'s variable "${variable.id}" has the value${missing.length > 1 ? 's' : ''} ${missing.map((v) => `"${v}"`).join(', ')}, which "${variable.id}" ${own ? 'here' : 'as an earlier include brought it'} does not have`,
          site,
          `give "${variable.id}" the same values, or fix it for this include: with: { ${variable.id}: ${variable.values[0]?.id ?? ''} }`,
        ),
      );
      ok = false;
    }
  }
  // An exclusion stays when every variable it still names decides something in the included steps
  // and is one of this flow's, declared or brought in.
  const known = new Set([...Object.keys(spec.variables ?? {}), ...found.variables.map((v) => v.id)]);
  for (const exclusion of flow.scenarios.exclude) {
    const open: Condition[number][] = [];
    let decided = true;
    for (const term of exclusion.condition) {
      const value = fixed.get(term.variable);
      if (value === undefined) open.push(term);
      else decided &&= term.values.includes(value);
    }
    if (!decided || !open.every((term) => used.has(term.variable) && known.has(term.variable))) continue;
    if (open.length === 0) {
      found.diagnostics.push(error(DiagnosticCodes.INCLUDE_VARIABLE, `${name} excludes the values "with" fixes`, site));
      ok = false;
    } else if (!spec.scenarios?.only) {
      // A spec that lists its scenarios (`only`) excludes nothing: it lists what it draws.
      found.exclusions.push({ condition: open, source: [...path, 'include', ...exclusion.source] });
    }
  }
  return ok;
}

/** The steps with every participant renamed and every source path moved, branches and blocks included. */
function adaptSteps(steps: readonly Step[], participant: (id: string) => string, source: (path: SourcePath) => SourcePath): Step[] {
  const all = (list: readonly Step[]) => adaptSteps(list, participant, source);
  return steps.map((step): Step => {
    const moved = source(step.source);
    switch (step.kind) {
      case 'message':
        return { ...step, from: participant(step.from), to: participant(step.to), source: moved };
      case 'action':
        return { ...step, by: participant(step.by), source: moved };
      case 'note':
        return { ...step, at: step.at.map(participant), source: moved };
      case 'ref':
        return { ...step, over: step.over.map(participant), steps: all(step.steps), source: moved };
      case 'alt':
        return { ...step, branches: step.branches.map((b) => ({ ...b, steps: all(b.steps), source: source(b.source) })), source: moved };
      case 'par':
        return { ...step, branches: step.branches.map((b) => ({ ...b, steps: all(b.steps), source: source(b.source) })), source: moved };
      case 'delay':
        return { ...step, source: moved };
      case 'destroy':
        return { ...step, participant: participant(step.participant), source: moved };
      default:
        return { ...step, steps: all(step.steps), source: moved };
    }
  });
}

/** Every participant the steps draw. */
function participantsIn(steps: readonly Step[]): Set<string> {
  return new Set(everyStep(steps).flatMap(participantsOf));
}

/** Every variable the steps' conditions name. */
function variablesOf(steps: readonly Step[]): Set<string> {
  const conditions = everyStep(steps).flatMap((step) =>
    step.kind === 'alt' ? step.branches.map((b) => b.condition) : step.kind === 'opt' || step.kind === 'break' ? [step.condition] : [],
  );
  return new Set(conditions.flatMap((condition) => (condition ?? []).map((term) => term.variable)));
}
