import type { PathSegment } from '../source/yaml.js';
import type { BranchInput, SpecInput, StepInput } from './schema.js';
import { describeCondition } from '../ir/describe.js';
import type { Condition, Exclusion, FlowIR, Step, Variable } from '../ir/types.js';

/** What the spec's include steps draw, resolved beforehand (see src/compile/includes.ts). */
export interface LoweredIncludes {
  /** Include step (its data path, as JSON) → the steps it draws, or one reference box standing for them. */
  sites: ReadonlyMap<string, { steps: Step[]; collapse?: { label: string; over: string[] } }>;
  /** Variables and exclusions the included flows bring. */
  variables: readonly Variable[];
  exclusions: readonly Exclusion[];
}

const NO_INCLUDES: LoweredIncludes = { sites: new Map(), variables: [], exclusions: [] };

/** Turns a spec that passed validation into the IR: defaults filled in, labels composed, includes drawn. */
export function lower(spec: SpecInput, includes: LoweredIncludes = NO_INCLUDES): FlowIR {
  const variables: Variable[] = Object.entries(spec.variables ?? {}).map(([id, v]) => {
    const values = Object.entries(v.values).map(([valueId, label]) => ({ id: valueId, label }));
    const trace: Record<string, Record<string, string[]>> = {};
    for (const [fact, byValue] of Object.entries(v.trace ?? {})) {
      for (const [value, patterns] of Object.entries(byValue ?? {})) (trace[value] ??= {})[fact] = asList(patterns);
    }
    return { id, label: v.label ?? id, values, default: v.default ?? values[0]?.id ?? '', trace, source: ['variables', id] };
  });

  const conditionFrom = (when: NonNullable<BranchInput['when']>): Condition =>
    Object.entries(when).map(([variable, chosen]) => ({ variable, values: asList(chosen) }));
  const conditionOf = (when: BranchInput['when']): Condition | undefined => (when === undefined ? undefined : conditionFrom(when));

  const describe = (condition: Condition | undefined): string => describeCondition(variables, condition ?? []);

  const steps = (list: readonly StepInput[], path: PathSegment[]): Step[] => list.flatMap((step, index) => lowerStep(step, [...path, index]));

  const lowerStep = (step: StepInput, path: PathSegment[]): Step | Step[] => {
    if ('include' in step) {
      const site = includes.sites.get(JSON.stringify(path));
      if (!site) throw new Error(`include at ${path.join('.')} was not resolved before lowering`);
      return site.collapse ? { kind: 'ref', ...site.collapse, steps: site.steps, source: path } : site.steps;
    }
    if ('message' in step) {
      return {
        kind: 'message',
        ...(step.id !== undefined ? { id: step.id } : {}),
        label: step.message,
        from: step.from,
        to: step.to,
        ...(step.code !== undefined ? { code: String(step.code) } : {}),
        fields: step.fields ?? [],
        arrow: step.arrow ?? 'sync',
        abstract: step.abstract ?? false,
        ...(step.encrypted !== undefined ? { encrypted: step.encrypted } : {}),
        trace: asList(step.trace ?? []),
        source: path,
      };
    }
    if ('action' in step) {
      return { kind: 'action', ...(step.id !== undefined ? { id: step.id } : {}), label: step.action, by: step.by, source: path };
    }
    if ('note' in step) {
      const at = asList(step.at);
      return { kind: 'note', text: step.note, at, side: at.length > 1 ? 'over' : (step.side ?? 'right'), source: path };
    }
    if ('alt' in step) {
      return {
        kind: 'alt',
        branches: step.alt.map((branch, i) => {
          const condition = conditionOf(branch.when);
          return {
            ...(condition ? { condition } : {}),
            label: branch.label ?? describe(condition),
            steps: steps(branch.steps, [...path, 'alt', i, 'steps']),
            source: [...path, 'alt', i],
          };
        }),
        source: path,
      };
    }
    if ('opt' in step) {
      const condition = conditionOf(step.opt.when);
      return {
        kind: 'opt',
        ...(condition ? { condition } : {}),
        label: step.opt.label ?? describe(condition),
        steps: steps(step.opt.steps, [...path, 'opt', 'steps']),
        source: path,
      };
    }
    if ('loop' in step) {
      return { kind: 'loop', label: step.loop.label, steps: steps(step.loop.steps, [...path, 'loop', 'steps']), source: path };
    }
    if ('group' in step) {
      return { kind: 'group', label: step.group.label, steps: steps(step.group.steps, [...path, 'group', 'steps']), source: path };
    }
    return {
      kind: 'par',
      branches: step.par.map((branch, i) => ({
        label: branch.label ?? '',
        steps: steps(branch.steps, [...path, 'par', i, 'steps']),
        source: [...path, 'par', i],
      })),
      source: path,
    };
  };

  return {
    title: spec.title,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    participants: Object.entries(spec.participants).map(([id, p]) => ({
      id,
      label: p.label ?? id,
      kind: p.kind ?? 'service',
    })),
    variables: [...variables, ...includes.variables],
    scenarios: {
      ...(spec.scenarios?.only
        ? {
            only: spec.scenarios.only.map((entry, i) => ({
              ...(entry.title !== undefined ? { title: entry.title } : {}),
              values: entry.values ?? {},
              source: ['scenarios', 'only', i],
            })),
          }
        : {}),
      exclude: [
        ...(spec.scenarios?.exclude ?? []).map((when, i) => ({ condition: conditionFrom(when), source: ['scenarios', 'exclude', i] })),
        ...includes.exclusions,
      ],
    },
    trace: Object.fromEntries(Object.entries(spec.trace ?? {}).map(([fact, patterns]) => [fact, asList(patterns ?? [])])),
    phases: spec.phases.map((phase, index) => ({
      ...(phase.id !== undefined ? { id: phase.id } : {}),
      title: phase.title,
      steps: steps(phase.steps, ['phases', index, 'steps']),
      source: ['phases', index],
    })),
  };
}

/** One item or a list of them (the spec's OneOrMore) as a list. */
function asList<T>(oneOrMore: T | T[]): T[] {
  return Array.isArray(oneOrMore) ? oneOrMore : [oneOrMore];
}
