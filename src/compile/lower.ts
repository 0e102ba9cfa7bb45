import type { PathSegment } from '../source/yaml.js';
import type { BranchInput, LabelledBlockInput, SpecInput, StepInput } from './schema.js';
import { describeCondition } from '../ir/describe.js';
import { innerSteps, withInnerSteps } from '../ir/steps.js';
import type { Branch, Condition, Critical, Exclusion, FlowIR, Group, Loop, Numbering, Phase, Step, Variable } from '../ir/types.js';

/** What the spec's include steps draw, resolved beforehand (see src/compile/includes.ts). */
export interface LoweredIncludes {
  /** Include step (by `siteKey` of its data path) → the steps it draws, or one reference box standing for them. */
  sites: ReadonlyMap<string, { steps: Step[]; collapse?: { label: string; over: string[] } }>;
  /** Variables and exclusions the included flows bring. */
  variables: readonly Variable[];
  exclusions: readonly Exclusion[];
}

/** The key of an include step in `LoweredIncludes.sites`: its data path. */
export function siteKey(path: readonly PathSegment[]): string {
  return JSON.stringify(path);
}

const NO_INCLUDES: LoweredIncludes = { sites: new Map(), variables: [], exclusions: [] };

/** Turns a spec that passed validation into the IR: defaults filled in, labels composed, includes drawn. */
export function lower(spec: SpecInput, includes: LoweredIncludes = NO_INCLUDES): FlowIR {
  const variables = lowerVariables(spec);
  const steps = new StepLowering(variables, includes);
  const flow: FlowIR = {
    title: spec.title ?? '',
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    ...(spec.theme !== undefined ? { theme: spec.theme } : {}),
    ...lowerParticipants(spec),
    variables: [...variables, ...includes.variables],
    scenarios: lowerScenarios(spec, includes),
    trace: Object.fromEntries(Object.entries(spec.trace ?? {}).map(([fact, patterns]) => [fact, asList(patterns ?? [])])),
    // A flow without dividers is one phase without a title.
    phases: spec.steps
      ? [{ title: '', steps: steps.list(spec.steps, ['steps']), source: [] }]
      : (spec.phases ?? []).map((phase, index) => ({
          ...(phase.id !== undefined ? { id: phase.id } : {}),
          title: phase.title,
          steps: steps.list(phase.steps, ['phases', index, 'steps']),
          source: ['phases', index],
        })),
  };
  return {
    ...flow,
    // A flow without dividers has one phase: numbered by phase, it reads as flat.
    phases: numberMessages(flow.phases, spec.steps && spec.numbering === 'phase' ? 'flat' : (spec.numbering ?? 'none')),
  };
}

/**
 * Numbers every message of the full flow, in the order written, every branch included: a
 * projection keeps the numbers, so a message has the same one in every scenario (which may show
 * 2.1 then 2.3). A number the author fixed is kept and does not advance the count. Included
 * messages are numbered as this spec's own (their own spec's numbers are not kept); what a
 * collapsed include stands for is not drawn, so not numbered.
 */
function numberMessages(phases: Phase[], numbering: Numbering): Phase[] {
  let inFlow = 0;
  return phases.map((phase, p) => {
    let inPhase = 0;
    const next = () => (numbering === 'phase' ? `${p + 1}.${++inPhase}` : String(++inFlow));
    const visit = (steps: readonly Step[]): Step[] =>
      steps.map((step) => {
        if (step.kind === 'ref') return step;
        if (step.kind !== 'message') return withInnerSteps(step, innerSteps(step).map(visit));
        const { number: _, ...message } = step;
        const number = step.fixedNumber ?? (numbering !== 'none' ? next() : undefined);
        return number === undefined ? message : { ...message, number };
      });
    return { ...phase, steps: visit(phase.steps) };
  });
}

/**
 * The participants in drawing order, and their groups: a group's members are drawn next to each
 * other, where its first member was declared, in the order the group lists them.
 */
function lowerParticipants(spec: SpecInput): Pick<FlowIR, 'participants' | 'groups'> {
  const declared = Object.entries(spec.participants).map(([id, p]) => ({
    id,
    label: p.label ?? id,
    kind: p.kind ?? 'service',
    ...(p.color !== undefined ? { color: p.color } : {}),
    ...(p.created ? { created: true } : {}),
  }));
  const groups = Object.entries(spec.groups ?? {}).map(([id, g]) => ({
    id,
    label: g.label ?? id,
    members: [...new Set(g.members)].filter((member) => member in spec.participants),
    ...(g.color !== undefined ? { color: g.color } : {}),
    source: ['groups', id],
  }));
  const groupOf = new Map(groups.flatMap((group) => group.members.map((member) => [member, group] as const)));
  const placed = new Set<string>();
  const participants = declared.flatMap((participant) => {
    if (placed.has(participant.id)) return [];
    const members = groupOf.get(participant.id)?.members ?? [participant.id];
    for (const member of members) placed.add(member);
    return members.map((member) => declared.find((p) => p.id === member)!);
  });
  return { participants, groups };
}

function lowerVariables(spec: SpecInput): Variable[] {
  return Object.entries(spec.variables ?? {}).map(([id, v]) => {
    const values = Object.entries(v.values).map(([valueId, label]) => ({ id: valueId, label }));
    const trace: Record<string, Record<string, string[]>> = {};
    for (const [fact, byValue] of Object.entries(v.trace ?? {})) {
      for (const [value, patterns] of Object.entries(byValue ?? {})) (trace[value] ??= {})[fact] = asList(patterns);
    }
    return { id, label: v.label ?? id, values, default: v.default ?? values[0]?.id ?? '', trace, source: ['variables', id] };
  });
}

function lowerScenarios(spec: SpecInput, includes: LoweredIncludes): FlowIR['scenarios'] {
  return {
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
  };
}

function conditionFrom(when: NonNullable<BranchInput['when']>): Condition {
  return Object.entries(when).map(([variable, chosen]) => ({ variable, values: asList(chosen) }));
}

function conditionOf(when: BranchInput['when']): Condition | undefined {
  return when === undefined ? undefined : conditionFrom(when);
}

/** Steps of the spec as IR steps: a branch without a label is labelled by its condition, an include replaced by what it draws. */
class StepLowering {
  constructor(
    private readonly variables: readonly Variable[],
    private readonly includes: LoweredIncludes,
  ) {}

  list(steps: readonly StepInput[], path: PathSegment[]): Step[] {
    return steps.flatMap((step, index) => this.step(step, [...path, index]));
  }

  private describe(condition: Condition | undefined): string {
    return describeCondition(this.variables, condition ?? []);
  }

  private step(step: StepInput, path: PathSegment[]): Step | Step[] {
    if ('include' in step) {
      const site = this.includes.sites.get(siteKey(path));
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
        ...(step.number !== undefined ? { fixedNumber: step.number } : {}),
        ...(step.note !== undefined ? { note: step.note } : {}),
        ...(step.activate ? { activate: true } : {}),
        ...(step.deactivate ? { deactivate: true } : {}),
        ...(step.create ? { create: true } : {}),
        trace: asList(step.trace ?? []).filter((entry) => typeof entry === 'string'),
        ...traceFilters(asList(step.trace ?? [])),
        source: path,
      };
    }
    if ('action' in step) {
      return { kind: 'action', ...(step.id !== undefined ? { id: step.id } : {}), label: step.action, by: step.by, source: path };
    }
    if ('delay' in step) return { kind: 'delay', text: step.delay === true ? '' : step.delay, source: path };
    if ('destroy' in step) return { kind: 'destroy', participant: step.destroy, source: path };
    if ('note' in step) {
      const at = asList(step.at);
      return { kind: 'note', text: step.note, at, side: at.length > 1 ? 'over' : (step.side ?? 'right'), source: path };
    }
    return this.block(step, path);
  }

  /** A labelled block (loop, group, critical): its label, its steps and its colour. */
  private labelled(kind: 'loop' | 'group' | 'critical', block: LabelledBlockInput, path: PathSegment[]): Loop | Group | Critical {
    return {
      kind,
      label: block.label,
      steps: this.list(block.steps, [...path, kind, 'steps']),
      ...(block.color !== undefined ? { color: block.color } : {}),
      source: path,
    };
  }

  /** A block with an optional condition (an alt's branch, an opt, a break): its label defaults to the condition in words. */
  private conditional(block: BranchInput, path: PathSegment[]): Branch {
    const condition = conditionOf(block.when);
    return {
      ...(condition ? { condition } : {}),
      label: block.label ?? this.describe(condition),
      steps: this.list(block.steps, [...path, 'steps']),
      ...(block.color !== undefined ? { color: block.color } : {}),
      source: path,
    };
  }

  private block(step: Exclude<StepInput, { include: unknown } | { message: unknown } | { action: unknown } | { note: unknown }>, path: PathSegment[]): Step {
    if ('alt' in step) return { kind: 'alt', branches: step.alt.map((branch, i) => this.conditional(branch, [...path, 'alt', i])), source: path };
    if ('opt' in step) {
      const { color: _, ...opt } = this.conditional(step.opt, [...path, 'opt']);
      return { kind: 'opt', ...opt, source: path };
    }
    if ('break' in step) return { kind: 'break', ...this.conditional(step.break, [...path, 'break']), source: path };
    if ('loop' in step) return this.labelled('loop', step.loop, path);
    if ('group' in step) return this.labelled('group', step.group, path);
    if ('critical' in step) return this.labelled('critical', step.critical, path);
    if (!('par' in step)) throw new Error(`step at ${path.join('.')} has no kind lowering knows`);
    return {
      kind: 'par',
      branches: step.par.map((branch, i) => ({
        label: branch.label ?? '',
        steps: this.list(branch.steps, [...path, 'par', i, 'steps']),
        ...(branch.color !== undefined ? { color: branch.color } : {}),
        source: [...path, 'par', i],
      })),
      source: path,
    };
  }
}

/** One item or a list of them (the spec's OneOrMore) as a list. */
function asList<T>(oneOrMore: T | T[]): T[] {
  return Array.isArray(oneOrMore) ? oneOrMore : [oneOrMore];
}

/** The display filters among a message's `trace:` entries, fields and values written as one. */
function traceFilters(entries: readonly (string | { filter: string } | { fields: Record<string, string | number | boolean> })[]): { traceFilters?: string[] } {
  const filters = entries.flatMap((entry) => {
    if (typeof entry === 'string') return [];
    if ('filter' in entry) return [entry.filter];
    return [
      Object.entries(entry.fields)
        .map(([field, value]) => `${field} == ${typeof value === 'string' ? JSON.stringify(value) : typeof value === 'boolean' ? Number(value) : value}`)
        .join(' && '),
    ];
  });
  return filters.length > 0 ? { traceFilters: filters } : {};
}
