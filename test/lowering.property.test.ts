import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Step } from '../src/ir/types.js';
import { parseCarefully, parseYaml } from '../src/source/yaml.js';
import { compileSpec } from '../src/compile/load-spec.js';
import { generate } from '../src/targets/generate.js';
import { mermaidFlowchart } from '../src/targets/mermaid-flowchart.js';
import { mermaidSequence } from '../src/targets/mermaid-sequence.js';
import { plantumlActivity } from '../src/targets/plantuml-activity.js';
import { plantumlSequence } from '../src/targets/plantuml-sequence.js';
import { PARTICIPANTS, spec, type StepData } from './support/arbitraries.js';
import { parseMermaid } from './support/mermaid.js';
import { HOST } from './support/host.js';

/** Every text of a step tree, in document order. */
function textsOfInput(steps: StepData[]): string[] {
  return steps.flatMap((s) => {
    if (typeof s.message === 'string') return [s.message, ...(s.fields as string[])];
    if (typeof s.action === 'string') return [s.action];
    if (typeof s.note === 'string') return [s.note];
    if (Array.isArray(s.alt)) return (s.alt as { steps: StepData[] }[]).flatMap((b) => textsOfInput(b.steps));
    if (Array.isArray(s.par)) return (s.par as { steps: StepData[] }[]).flatMap((b) => textsOfInput(b.steps));
    const block = (s.opt ?? s.loop ?? s.group) as { label?: string; steps: StepData[] };
    return [...(s.opt ? [] : [block.label!]), ...textsOfInput(block.steps)];
  });
}

function textsOfIr(steps: Step[]): string[] {
  return steps.flatMap((s) => {
    switch (s.kind) {
      case 'message':
        return [s.label, ...s.fields];
      case 'action':
        return [s.label];
      case 'note':
        return [s.text];
      case 'alt':
      case 'par':
        return s.branches.flatMap((b) => textsOfIr(b.steps));
      case 'opt':
        return textsOfIr(s.steps);
      case 'loop':
      case 'group':
      case 'critical':
        return [s.label, ...textsOfIr(s.steps)];
      case 'break':
        return textsOfIr(s.steps);
      case 'ref':
        return [s.label];
      case 'delay':
        return [s.text];
      case 'destroy':
        return [];
    }
  });
}

describe('YAML: the fast load and the careful parse agree', () => {
  it('reads every generated spec to the same data', () => {
    fc.assert(
      fc.property(spec, (input) => {
        const file = { name: 'generated.yaml', text: stringify(input) };
        expect(parseYaml(file).value!.data).toEqual(parseCarefully(file).value!.data);
        expect(parseYaml(file).value!.data).toEqual(input);
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it.each([
    '1_000',
    '0b101',
    '0x1F',
    '0xA_B',
    '0x_A',
    '0o17',
    '0o8',
    '1e3',
    '.5',
    '-.5',
    '+12',
    '1.',
    '-1.5e-3',
    '.inf',
    '-.Inf',
    '.NaN',
    '1:20',
    'true',
    'True',
    'TRUE',
    'tRue',
    'null',
    'Null',
    '~',
    'on',
    'yes',
    'y',
    '012',
  ])('reads the scalar %s as YAML 1.2 does', (scalar) => {
    const file = { name: 'n.yaml', text: `title: ${scalar}\n` };
    expect(parseYaml(file).value!.data).toEqual(parseCarefully(file).value!.data);
  });

  it('locates parts of a cleanly loaded file on demand', () => {
    const text = 'protoflow: 1\ntitle: T\nparticipants:\n  a: {}\nphases:\n  - title: P\n    steps:\n      - action: x\n        by: a\n';
    const parsed = parseYaml({ name: 'clean.yaml', text }).value!;
    expect(parsed.locate(['phases', 0, 'steps', 0, 'by'])).toMatchObject({ file: 'clean.yaml', line: 9, column: 13 });
    expect(parsed.locate(['participants', 'a'], 'key')).toMatchObject({ line: 4, column: 3 });
  });
});

describe('lowering: any valid spec becomes an IR that keeps its content and order', () => {
  it('keeps every text, in order, through YAML, validation and lowering; every target generates', async () => {
    await fc.assert(
      fc.asyncProperty(spec, async (input) => {
        const compiled = compileSpec({ name: 'generated.yaml', text: stringify(input) }, HOST.cwd);
        // Random nesting can leave a branch no scenario takes (warning PF312); never an error.
        expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const flow = compiled.value!.flow;
        expect(textsOfIr(flow.phases[0]!.steps)).toEqual(textsOfInput(input.phases[0]!.steps));
        expect(flow.participants.map((p) => p.id)).toEqual(PARTICIPANTS);
        // The real parsers check random flowcharts in flowchart.test.ts (Mermaid's flowchart parser
        // takes about a second per random spec, too slow for this many runs).
        for (const target of [plantumlSequence, plantumlActivity, mermaidFlowchart]) {
          expect(generate(target, flow).diagnostics).toEqual([]);
        }
        const mermaid = await parseMermaid(generate(mermaidSequence, flow).value!);
        expect(mermaid.error).toBeUndefined();
      }),
      { numRuns: 150, seed: 42 },
    );
  });
});
