import { DiagnosticCodes, error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Locator, PathSegment } from '../source/yaml.js';
import type { Variable } from '../ir/types.js';
import type { BranchInput, SpecInput, StepInput } from './schema.js';
import { didYouMean } from '../shared/suggest.js';

/**
 * Checks what the schema cannot: that every name used is declared, ids are unique,
 * and alternatives are well-formed. Reports every problem, not just the first. `brought` are the
 * variables included specs bring (see includes.ts): conditions and scenarios may name them too.
 */
export function checkReferences(spec: SpecInput, locate: Locator, brought: readonly Variable[] = []): Diagnostic[] {
  const found: Diagnostic[] = [];
  const participants = Object.keys(spec.participants);
  const variables = spec.variables ?? {};
  const known: Record<string, { values: Record<string, string> }> = {
    ...Object.fromEntries(brought.map((v) => [v.id, { values: Object.fromEntries(v.values.map((value) => [value.id, value.label])) }])),
    ...variables,
  };
  const ids = new Map<string, readonly PathSegment[]>();

  if (participants.length === 0) {
    found.push(error(DiagnosticCodes.EMPTY_LIST, '"participants" must declare at least one participant', locate(['participants'])));
  }
  for (const [id, variable] of Object.entries(variables)) {
    const values = Object.keys(variable.values);
    if (values.length === 0) {
      found.push(error(DiagnosticCodes.EMPTY_LIST, `variable "${id}" must declare at least one value`, locate(['variables', id, 'values'])));
    }
    if (variable.default !== undefined && !values.includes(variable.default)) {
      found.push(undeclaredValue(id, variable.default, values, locate(['variables', id, 'default'])));
    }
    for (const [fact, byValue] of Object.entries(variable.trace ?? {})) {
      for (const value of Object.keys(byValue ?? {})) {
        if (!values.includes(value)) found.push(undeclaredValue(id, value, values, locate(['variables', id, 'trace', fact, value], 'key')));
      }
    }
  }

  const participant = (name: string, path: PathSegment[]) => {
    if (!participants.includes(name)) {
      found.push(error(DiagnosticCodes.UNDECLARED_PARTICIPANT, `undeclared participant "${name}"`, locate(path), didYouMean(name, participants)));
    }
  };
  const uniqueId = (id: string | undefined, path: PathSegment[]) => {
    if (id === undefined) return;
    const first = ids.get(id);
    if (first) {
      const at = locate([...first, 'id']);
      found.push(error(DiagnosticCodes.DUPLICATE_ID, `duplicate id "${id}"; first used at line ${at.line}`, locate([...path, 'id'])));
    } else {
      ids.set(id, path);
    }
  };
  const value = (name: string, chosen: string, valuePath: PathSegment[]): boolean => {
    const declared = Object.keys(known[name]?.values ?? {});
    if (declared.includes(chosen)) return true;
    found.push(undeclaredValue(name, chosen, declared, locate(valuePath)));
    return false;
  };
  const variable = (name: string, path: PathSegment[]): boolean => {
    if (known[name]) return true;
    found.push(error(DiagnosticCodes.UNDECLARED_VARIABLE, `undeclared variable "${name}"`, locate(path, 'key'), didYouMean(name, Object.keys(known))));
    return false;
  };
  /** A `when` map, or an entry of `scenarios.exclude`, at `path`. */
  const condition = (when: BranchInput['when'], path: PathSegment[], ifEmpty: string) => {
    if (when === undefined) return;
    if (Object.keys(when).length === 0) found.push(error(DiagnosticCodes.EMPTY_CONDITION, ifEmpty, locate(path)));
    for (const [name, chosen] of Object.entries(when)) {
      if (!variable(name, [...path, name])) continue;
      const list = Array.isArray(chosen) ? chosen : [chosen];
      const seen = new Set<string>();
      list.forEach((item, index) => {
        const valuePath = Array.isArray(chosen) ? [...path, name, index] : [...path, name];
        if (!value(name, item, valuePath)) return;
        if (seen.has(item)) found.push(error(DiagnosticCodes.DUPLICATE_VALUE, `value "${item}" is listed twice`, locate(valuePath)));
        seen.add(item);
      });
    }
  };
  const NO_VARIABLE_IN_WHEN = '"when" names no variable; leave "when" out for an else-branch';
  const steps = (list: readonly StepInput[], path: PathSegment[]) => {
    list.forEach((step, index) => visitStep(step, [...path, index]));
  };
  const visitStep = (step: StepInput, path: PathSegment[]) => {
    if ('message' in step) {
      uniqueId(step.id, path);
      participant(step.from, [...path, 'from']);
      participant(step.to, [...path, 'to']);
    } else if ('action' in step) {
      uniqueId(step.id, path);
      participant(step.by, [...path, 'by']);
    } else if ('note' in step) {
      if (Array.isArray(step.at)) step.at.forEach((name, i) => participant(name, [...path, 'at', i]));
      else participant(step.at, [...path, 'at']);
    } else if ('alt' in step) {
      step.alt.forEach((branch, i) => {
        const branchPath = [...path, 'alt', i];
        if (branch.when === undefined && i < step.alt.length - 1) {
          found.push(
            error(DiagnosticCodes.ELSE_NOT_LAST, 'a branch without "when" is the else-branch and must be the last branch of its alt', locate(branchPath)),
          );
        }
        condition(branch.when, [...branchPath, 'when'], NO_VARIABLE_IN_WHEN);
        steps(branch.steps, [...branchPath, 'steps']);
      });
    } else if ('opt' in step) {
      condition(step.opt.when, [...path, 'opt', 'when'], NO_VARIABLE_IN_WHEN);
      steps(step.opt.steps, [...path, 'opt', 'steps']);
    } else if ('loop' in step) {
      steps(step.loop.steps, [...path, 'loop', 'steps']);
    } else if ('group' in step) {
      steps(step.group.steps, [...path, 'group', 'steps']);
    } else if ('par' in step) {
      step.par.forEach((branch, i) => steps(branch.steps, [...path, 'par', i, 'steps']));
    }
    // An include's participants and variables are checked once the included spec is read (src/compile/includes.ts).
  };

  const { exclude, only } = spec.scenarios ?? {};
  if (spec.scenarios && !exclude && !only) {
    found.push(error(DiagnosticCodes.EMPTY_LIST, '"scenarios" must have "exclude" or "only"', locate(['scenarios'])));
  }
  exclude?.forEach((entry, i) => condition(entry, ['scenarios', 'exclude', i], 'an entry of "exclude" must name at least one variable'));
  only?.forEach((entry, i) => {
    for (const [name, chosen] of Object.entries(entry.values ?? {})) {
      if (variable(name, ['scenarios', 'only', i, 'values', name])) value(name, chosen, ['scenarios', 'only', i, 'values', name]);
    }
  });
  if (exclude && only) {
    found.push(
      error(
        DiagnosticCodes.ONLY_AND_EXCLUDE,
        '"only" already lists every scenario to draw; use "exclude" or "only", not both',
        locate(['scenarios', 'exclude'], 'key'),
      ),
    );
  }

  spec.phases.forEach((phase, index) => {
    uniqueId(phase.id, ['phases', index]);
    steps(phase.steps, ['phases', index, 'steps']);
  });
  return found;
}

function undeclaredValue(variable: string, value: string, declared: readonly string[], span: ReturnType<Locator>): Diagnostic {
  return error(
    DiagnosticCodes.UNDECLARED_VALUE,
    `"${value}" is not a value of variable "${variable}" (values: ${declared.join(', ')})`,
    span,
    didYouMean(value, declared),
  );
}
