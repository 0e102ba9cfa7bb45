import { DiagnosticCodes, error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Locator, PathSegment } from '../source/yaml.js';
import type { Variable } from '../ir/types.js';
import { type BranchInput, flowStepLists, innerStepInputs, type SpecInput, type StepInput } from './schema.js';
import { didYouMean } from '../shared/suggest.js';

/**
 * Checks what the schema cannot: that every name used is declared, ids are unique,
 * and alternatives are well-formed. Reports every problem, not just the first. `brought` are the
 * variables included specs bring (see includes.ts): conditions and scenarios may name them too.
 */
export function checkReferences(spec: SpecInput, locate: Locator, brought: readonly Variable[] = []): Diagnostic[] {
  return new ReferenceChecker(spec, locate, brought).check();
}

const NO_VARIABLE_IN_WHEN = '"when" names no variable; leave "when" out for an else-branch';

class ReferenceChecker {
  private readonly found: Diagnostic[] = [];
  private readonly participants: string[];
  /** Every variable a condition may name: the spec's own and those its includes bring, with their values. */
  private readonly known: Record<string, { values: Record<string, string> }>;
  /** Message, action and phase ids seen, with where each was first used. */
  private readonly ids = new Map<string, readonly PathSegment[]>();

  constructor(
    private readonly spec: SpecInput,
    private readonly locate: Locator,
    brought: readonly Variable[],
  ) {
    this.participants = Object.keys(spec.participants);
    this.known = {
      ...Object.fromEntries(brought.map((v) => [v.id, { values: Object.fromEntries(v.values.map((value) => [value.id, value.label])) }])),
      ...(spec.variables ?? {}),
    };
  }

  check(): Diagnostic[] {
    this.declarations();
    this.scenarios();
    this.flow();
    return this.found;
  }

  /** The flow: `phases`, or `steps` for a flow without dividers, exactly one of them. */
  private flow(): void {
    const { phases, steps } = this.spec;
    if (phases && steps) {
      const message = 'a spec has "phases" (drawn with dividers) or "steps" (without), not both';
      this.found.push(error(DiagnosticCodes.STEPS_AND_PHASES, message, this.locate(['steps'], 'key')));
    } else if (!phases && !steps) {
      const message = 'missing required key "phases" in the spec (or "steps", for a flow without dividers)';
      this.found.push(error(DiagnosticCodes.MISSING_KEY, message, this.locate([])));
    }
    phases?.forEach((phase, index) => this.uniqueId(phase.id, ['phases', index]));
    for (const [list, path] of flowStepLists(this.spec)) this.steps(list, path);
  }

  /** Participants and variables, as declared. */
  private declarations(): void {
    const { locate, found } = this;
    const groupOf = new Map<string, string>();
    for (const [id, group] of Object.entries(this.spec.groups ?? {})) {
      group.members.forEach((member, i) => {
        const path = ['groups', id, 'members', i];
        this.participant(member, path);
        const other = groupOf.get(member);
        if (other !== undefined) {
          const message = `participant "${member}" is in group "${other}" already; a participant is in at most one group`;
          found.push(error(DiagnosticCodes.PARTICIPANT_IN_TWO_GROUPS, message, locate(path)));
        }
        groupOf.set(member, id);
      });
    }
    if (this.participants.length === 0) {
      found.push(error(DiagnosticCodes.EMPTY_LIST, '"participants" must declare at least one participant', locate(['participants'])));
    }
    for (const [id, variable] of Object.entries(this.spec.variables ?? {})) {
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
  }

  /** `scenarios`: `exclude` or `only`, each naming declared variables and values. */
  private scenarios(): void {
    const { exclude, only } = this.spec.scenarios ?? {};
    if (this.spec.scenarios && !exclude && !only) {
      this.found.push(error(DiagnosticCodes.EMPTY_LIST, '"scenarios" must have "exclude" or "only"', this.locate(['scenarios'])));
    }
    exclude?.forEach((entry, i) => this.condition(entry, ['scenarios', 'exclude', i], 'an entry of "exclude" must name at least one variable'));
    only?.forEach((entry, i) => {
      for (const [name, chosen] of Object.entries(entry.values ?? {})) {
        const path = ['scenarios', 'only', i, 'values', name];
        if (this.variable(name, path)) this.value(name, chosen, path);
      }
    });
    if (exclude && only) {
      this.found.push(
        error(
          DiagnosticCodes.ONLY_AND_EXCLUDE,
          '"only" already lists every scenario to draw; use "exclude" or "only", not both',
          this.locate(['scenarios', 'exclude'], 'key'),
        ),
      );
    }
  }

  private steps(list: readonly StepInput[], path: PathSegment[]): void {
    list.forEach((step, index) => this.step(step, [...path, index]));
  }

  private step(step: StepInput, path: PathSegment[]): void {
    if ('message' in step) {
      this.uniqueId(step.id, path);
      this.participant(step.from, [...path, 'from']);
      this.participant(step.to, [...path, 'to']);
      const receiver = this.spec.participants[step.to];
      if (step.create && step.from === step.to) {
        const message = `a message from "${receiver?.label ?? step.to}" to itself cannot create it: it must be there to send it`;
        this.found.push(error(DiagnosticCodes.CREATES_PRESENT_PARTICIPANT, message, this.locate([...path, 'create'])));
      } else if (step.create && receiver && !receiver.created) {
        const message = `"${receiver.label ?? step.to}" is there from the start, so no message creates it`;
        const hint = `declare it with "created: true" (participants: { ${step.to}: { created: true } }) to draw it from this message on`;
        this.found.push(error(DiagnosticCodes.CREATES_PRESENT_PARTICIPANT, message, this.locate([...path, 'create']), hint));
      }
      if (step.activate && step.arrow === 'lost') {
        const message = 'a lost message never arrives, so it starts no activation of its receiver';
        this.found.push(
          error(DiagnosticCodes.LOST_MESSAGE_ACTIVATES, message, this.locate([...path, 'activate']), 'leave "activate" out, or the arrow "lost"'),
        );
      }
    } else if ('destroy' in step) {
      this.participant(step.destroy, [...path, 'destroy']);
    } else if ('action' in step) {
      this.uniqueId(step.id, path);
      this.participant(step.by, [...path, 'by']);
    } else if ('note' in step) {
      if (Array.isArray(step.at)) step.at.forEach((name, i) => this.participant(name, [...path, 'at', i]));
      else this.participant(step.at, [...path, 'at']);
    } else if ('alt' in step) {
      step.alt.forEach((branch, i) => {
        const branchPath = [...path, 'alt', i];
        if (branch.when === undefined && i < step.alt.length - 1) {
          const message = 'a branch without "when" is the else-branch and must be the last branch of its alt';
          this.found.push(error(DiagnosticCodes.ELSE_NOT_LAST, message, this.locate(branchPath)));
        }
        this.condition(branch.when, [...branchPath, 'when'], NO_VARIABLE_IN_WHEN);
        this.steps(branch.steps, [...branchPath, 'steps']);
      });
    } else {
      if ('opt' in step) this.condition(step.opt.when, [...path, 'opt', 'when'], NO_VARIABLE_IN_WHEN);
      if ('break' in step)
        this.condition(step.break.when, [...path, 'break', 'when'], '"when" names no variable; leave "when" out for a break that may or may not happen');
      for (const [inner, innerPath] of innerStepInputs(step, path)) this.steps(inner, innerPath);
    }
    // An include's participants and variables are checked once the included spec is read (src/compile/includes.ts).
  }

  private participant(name: string, path: PathSegment[]): void {
    if (!this.participants.includes(name)) {
      this.found.push(
        error(
          DiagnosticCodes.UNDECLARED_PARTICIPANT,
          `undeclared participant "${name}" (the participants are ${this.participants.join(', ')})`,
          this.locate(path),
          didYouMean(name, this.participants),
        ),
      );
    }
  }

  private uniqueId(id: string | undefined, path: PathSegment[]): void {
    if (id === undefined) return;
    const first = this.ids.get(id);
    if (first) {
      const at = this.locate([...first, 'id']);
      this.found.push(error(DiagnosticCodes.DUPLICATE_ID, `duplicate id "${id}"; first used at line ${at.line}`, this.locate([...path, 'id'])));
    } else {
      this.ids.set(id, path);
    }
  }

  private value(name: string, chosen: string, valuePath: PathSegment[]): boolean {
    const declared = Object.keys(this.known[name]?.values ?? {});
    if (declared.includes(chosen)) return true;
    this.found.push(undeclaredValue(name, chosen, declared, this.locate(valuePath)));
    return false;
  }

  private variable(name: string, path: PathSegment[]): boolean {
    if (this.known[name]) return true;
    const hint = didYouMean(name, Object.keys(this.known));
    this.found.push(error(DiagnosticCodes.UNDECLARED_VARIABLE, `undeclared variable "${name}"`, this.locate(path, 'key'), hint));
    return false;
  }

  /** A `when` map, or an entry of `scenarios.exclude`, at `path`. */
  private condition(when: BranchInput['when'], path: PathSegment[], ifEmpty: string): void {
    if (when === undefined) return;
    if (Object.keys(when).length === 0) this.found.push(error(DiagnosticCodes.EMPTY_CONDITION, ifEmpty, this.locate(path)));
    for (const [name, chosen] of Object.entries(when)) {
      if (!this.variable(name, [...path, name])) continue;
      const list = Array.isArray(chosen) ? chosen : [chosen];
      const seen = new Set<string>();
      list.forEach((item, index) => {
        const valuePath = Array.isArray(chosen) ? [...path, name, index] : [...path, name];
        if (!this.value(name, item, valuePath)) return;
        if (seen.has(item)) this.found.push(error(DiagnosticCodes.DUPLICATE_VALUE, `value "${item}" is listed twice`, this.locate(valuePath)));
        seen.add(item);
      });
    }
  }
}

function undeclaredValue(variable: string, value: string, declared: readonly string[], span: ReturnType<Locator>): Diagnostic {
  return error(
    DiagnosticCodes.UNDECLARED_VALUE,
    `"${value}" is not a value of variable "${variable}" (values: ${declared.join(', ')})`,
    span,
    didYouMean(value, declared),
  );
}
