import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { outputBase } from '../src/project/output-names.js';
import { specOutputs } from '../src/project/outputs.js';
import { compileSpec } from '../src/compile/load-spec.js';
import { MATRIX_EXTENSION } from '../src/targets/markdown-matrix.js';
import { generate } from '../src/targets/generate.js';
import { TARGETS } from '../src/targets/registry.js';
import { golden } from './support/golden.js';
import { parseMermaid } from './support/mermaid.js';
import { renderPlantUml, type PlantUmlResult } from './support/plantuml.js';
import { HOST } from './support/host.js';

const SPEC_FOLDERS = ['specs', 'test/fixtures/valid'];
const specs = SPEC_FOLDERS.flatMap((folder) =>
  readdirSync(folder)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(folder, f)),
);
const cases = specs.flatMap((spec) => TARGETS.map((target) => ({ spec, target })));

function output(spec: string, targetName: string): string {
  const compiled = compileSpec({ name: spec, text: readFileSync(spec, 'utf8') }, HOST.cwd);
  expect(compiled.diagnostics).toEqual([]);
  const target = TARGETS.find((t) => t.name === targetName)!;
  return generate(target, compiled.value!.flow).value!;
}

describe('golden files: every spec × target (UPDATE_GOLDEN=1 rewrites them)', () => {
  it('covers the bundled specs', () => {
    expect(specs).toContain('specs/https-tls12.yaml');
  });

  it.each(cases.map((c) => [c.spec, c.target.name] as const))('%s → %s', (spec, targetName) => {
    const target = TARGETS.find((t) => t.name === targetName)!;
    const actual = output(spec, targetName);
    expect(actual).toBe(golden(join('test/golden', outputBase(spec) + target.extension), actual));
  });
});

describe('golden presence matrices: every spec with variables (UPDATE_GOLDEN=1 rewrites them)', () => {
  const withVariables = specs.filter((spec) => compileSpec({ name: spec, text: readFileSync(spec, 'utf8') }, HOST.cwd).value!.flow.variables.length > 0);

  it('covers the bundled specs and the scenario fixtures', () => {
    expect(withVariables).toEqual(
      expect.arrayContaining(['specs/https-tls12.yaml', 'test/fixtures/valid/scenarios-exclude.yaml', 'test/fixtures/valid/scenarios-only.yaml']),
    );
  });

  it.each(withVariables)('%s', (spec) => {
    const compiled = compileSpec({ name: spec, text: readFileSync(spec, 'utf8') }, HOST.cwd).value!;
    const actual = specOutputs(outputBase(spec), compiled, 'none').matrix!.text;
    expect(actual).toBe(golden(join('test/golden', outputBase(spec) + MATRIX_EXTENSION), actual));
  });
});

describe('golden files pass the real parsers', () => {
  const puml = cases.filter((c) => c.target.extension.endsWith('.puml'));
  const mmd = cases.filter((c) => c.target.extension.endsWith('.mmd'));
  let rendered: PlantUmlResult[] = [];
  beforeAll(async () => {
    rendered = await renderPlantUml(puml.map((c) => output(c.spec, c.target.name)));
  });

  it.each(puml.map((c, i) => [c.spec, c.target.name, i] as const))('PlantUML draws %s (%s)', (_spec, _target, i) => {
    expect(rendered[i]!.error).toBeUndefined();
    expect(rendered[i]!.ok).toBe(true);
  });

  it.each(mmd.map((c) => [c.spec, c.target.name] as const))('Mermaid parses %s (%s)', async (spec, targetName) => {
    const result = await parseMermaid(output(spec, targetName));
    expect(result.error).toBeUndefined();
  });
});
