import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { specMatrix } from '../src/project/outputs.js';
import { declaredScenarios } from '../src/scenarios/declared.js';
import { projectFlow } from '../src/scenarios/projection.js';
import { compileSpec, type CompileResult } from '../src/compile/load-spec.js';
import { generate } from '../src/targets/generate.js';
import { TARGETS } from '../src/targets/registry.js';
import { PARTICIPANTS, scenarioSpec, type StepData } from './support/arbitraries.js';
import { HOST } from './support/host.js';

const dir = mkdtempSync(join(tmpdir(), 'protoflow-include-property-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fragment's own name for a participant of the including spec. */
const theirs = (id: string) => `their_${id}`;

/** The steps with every participant reference renamed, labels untouched. */
function renamed(steps: readonly StepData[]): StepData[] {
  return steps.map((step) =>
    Object.fromEntries(
      Object.entries(step).map(([key, value]) => {
        if (key === 'from' || key === 'to' || key === 'by') return [key, theirs(value as string)];
        if (key === 'at') return [key, Array.isArray(value) ? value.map((v) => theirs(v as string)) : theirs(value as string)];
        if (key === 'steps') return [key, renamed(value as StepData[])];
        if (Array.isArray(value)) return [key, value.map((branch: StepData) => ({ ...branch, steps: renamed(branch.steps as StepData[]) }))];
        if (value !== null && typeof value === 'object' && 'steps' in value)
          return [key, { ...value, steps: renamed((value as StepData).steps as StepData[]) }];
        return [key, value];
      }),
    ),
  );
}

function compile(file: string, data: object): CompileResult {
  const path = join(dir, file);
  writeFileSync(path, stringify(data));
  return compileSpec({ name: relative(process.cwd(), path), text: stringify(data) }, HOST.cwd);
}

/** Every text a spec's build writes: each target for the full flow and for each declared scenario, and the matrix. */
function everything(result: CompileResult): string[] {
  const { flow } = result.value!;
  const flows = [flow, ...declaredScenarios(flow).map((d) => projectFlow(flow, d.scenario))];
  return [...flows.flatMap((f) => TARGETS.map((target) => generate(target, f).value!)), specMatrix(result.value!)?.markdown.value ?? ''];
}

describe('includes: property', () => {
  it('moving a phase into a spec of its own and including it (participants renamed, mapped back through "with") changes no output', () => {
    fc.assert(
      fc.property(scenarioSpec, (input) => {
        const steps = input.phases[0]!.steps as StepData[];
        const fragment = {
          protoflow: 1,
          title: 'Fragment',
          participants: Object.fromEntries(PARTICIPANTS.map((id) => [theirs(id), {}])),
          variables: input.variables,
          phases: [{ title: 'Moved', id: 'moved', steps: renamed(steps) }],
        };
        expect(compile('fragment.yaml', fragment).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const including = {
          ...input,
          phases: [{ title: 'Only phase', steps: [{ include: 'fragment.yaml#moved', with: Object.fromEntries(PARTICIPANTS.map((id) => [theirs(id), id])) }] }],
        };
        const original = compile('original.yaml', input);
        const included = compile('including.yaml', including);
        fc.pre(original.value !== undefined);
        expect(included.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(original.diagnostics.map((d) => `${d.code} ${d.message}`));
        expect(everything(included)).toEqual(everything(original));
      }),
      { numRuns: 100, seed: 8 },
    );
  });
});
