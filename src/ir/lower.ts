import type { PathSegment } from '../source/yaml.js';
import type { BranchInput, SpecInput, StepInput } from '../spec/schema.js';
import { describeCondition } from './describe.js';
import type { Condition, FlowIR, Step, Variable } from './types.js';

/** Turns a spec that passed validation into the IR: defaults filled in, labels composed. */
export function lower(spec: SpecInput): FlowIR {
  const variables: Variable[] = Object.entries(spec.variables ?? {}).map(([id, v]) => {
    const values = Object.entries(v.values).map(([valueId, label]) => ({ id: valueId, label }));
    return { id, label: v.label ?? id, values, default: v.default ?? values[0]?.id ?? '' };
  });

  const conditionFrom = (when: NonNullable<BranchInput['when']>): Condition =>
    Object.entries(when).map(([variable, chosen]) => ({ variable, values: Array.isArray(chosen) ? chosen : [chosen] }));
  const conditionOf = (when: BranchInput['when']): Condition | undefined => (when === undefined ? undefined : conditionFrom(when));

  const describe = (condition: Condition | undefined): string => describeCondition(variables, condition ?? []);

  const steps = (list: readonly StepInput[], path: PathSegment[]): Step[] =>
    list.map((step, index) => lowerStep(step, [...path, index]));

  const lowerStep = (step: StepInput, path: PathSegment[]): Step => {
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
        source: path,
      };
    }
    if ('action' in step) {
      return { kind: 'action', ...(step.id !== undefined ? { id: step.id } : {}), label: step.action, by: step.by, source: path };
    }
    if ('note' in step) {
      const at = Array.isArray(step.at) ? step.at : [step.at];
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
    variables,
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
      exclude: (spec.scenarios?.exclude ?? []).map((when, i) => ({ condition: conditionFrom(when), source: ['scenarios', 'exclude', i] })),
    },
    phases: spec.phases.map((phase, index) => ({
      ...(phase.id !== undefined ? { id: phase.id } : {}),
      title: phase.title,
      steps: steps(phase.steps, ['phases', index, 'steps']),
      source: ['phases', index],
    })),
  };
}
