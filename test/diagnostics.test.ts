import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DiagnosticCodes, type Diagnostic } from '../src/diagnostics/diagnostic.js';
import { diagnosticsToJson, formatDiagnostics } from '../src/diagnostics/format.js';
import { readSourceFile } from '../src/source/source-file.js';
import { compileSpec } from '../src/compile/load-spec.js';
import { HOST } from './support/host.js';

/**
 * Negative fixtures: every spec in test/fixtures/invalid/ holds one kind of mistake, every spec in
 * test/fixtures/warnings/ one thing worth a warning that still builds (the file name
 * starts with the code(s) it must produce, e.g. `PF102-duplicate-key.yaml`), and next to it
 * `NAME.expected` holds the exact text `protoflow validate` prints for it without colour, minus the
 * summary line. Specs the fixtures include live in the `fragments/` folder beside them, which is
 * not a fixture itself. Regenerate with `UPDATE_GOLDEN=1 npx vitest run test/diagnostics.test.ts`, then read
 * every changed file: a golden file states what is right, not what the code happens to print.
 */
const FIXTURE_DIR = 'test/fixtures';
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** `invalid/PF102-duplicate-key.yaml`, …, then `warnings/…`. */
const fixtures = ['invalid', 'warnings'].flatMap((folder) =>
  readdirSync(FIXTURES + folder)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `${folder}/${f}`),
);

interface Diagnosed {
  diagnostics: Diagnostic[];
  /** What the CLI writes on stderr before its summary line. */
  text: string;
  compiled: boolean;
}

async function diagnose(fixture: string): Promise<Diagnosed> {
  const name = `${FIXTURE_DIR}/${fixture}`;
  const read = await readSourceFile(FIXTURES + fixture, name);
  if (!read.value) return { diagnostics: read.diagnostics, text: '', compiled: false };
  const result = compileSpec(read.value, HOST.cwd);
  // As the CLI does, a problem inside an included spec is shown in that file.
  const sources = new Map([
    [name, read.value.text],
    ...result.files.flatMap((file) => (file.text === undefined ? [] : [[relative(process.cwd(), file.path), file.text] as const])),
  ]);
  return {
    diagnostics: result.diagnostics,
    text: `${formatDiagnostics(result.diagnostics, { sources, color: false })}\n`,
    compiled: result.value !== undefined,
  };
}

/** `PF201-PF301-several-problems.yaml` → ['PF201', 'PF301']. */
function codesNamedBy(fixture: string): string[] {
  const prefix = /^((?:PF\d{3}-)+)/.exec(fixture.slice(fixture.indexOf('/') + 1))?.[1] ?? '';
  return prefix.split('-').filter(Boolean);
}

describe('negative fixtures: exact diagnostics', () => {
  it('has fixtures, each named after the code it must produce', () => {
    expect(fixtures.length).toBeGreaterThan(0);
    for (const fixture of fixtures) expect(codesNamedBy(fixture), fixture).not.toEqual([]);
  });

  it.each(fixtures)('%s', async (fixture) => {
    const { diagnostics, text, compiled } = await diagnose(fixture);
    const goldenPath = FIXTURES + fixture.replace(/\.yaml$/, '.expected');
    if (UPDATE) writeFileSync(goldenPath, text);

    if (fixture.startsWith('invalid/')) expect(compiled, 'an invalid spec must not compile').toBe(false);
    else {
      expect(compiled, 'a spec with warnings still compiles').toBe(true);
      expect(diagnostics.map((d) => d.severity)).not.toContain('error');
    }
    const codes = diagnostics.map((d) => d.code);
    for (const code of codesNamedBy(fixture)) expect(codes, `${fixture} must report ${code}`).toContain(code);
    for (const d of diagnostics) {
      // A problem inside an included spec points into it, and names the fixture as where it was included.
      const inFixture = d.span?.includedFrom?.at(-1) ?? d.span;
      expect(inFixture?.file, 'every diagnostic points into the fixture').toBe(`${FIXTURE_DIR}/${fixture}`);
    }

    expect(existsSync(goldenPath), `missing ${goldenPath}; run with UPDATE_GOLDEN=1 and check it by eye`).toBe(true);
    expect(text).toBe(readFileSync(goldenPath, 'utf8'));
  });
});

describe('diagnostics: special cases', () => {
  it('rejects the billion-laughs alias bomb before expanding it', async () => {
    const { diagnostics, compiled } = await diagnose('invalid/PF104-billion-laughs.yaml');
    expect(compiled).toBe(false);
    expect(diagnostics.map((d) => d.code)).toEqual(['PF104']);
  });

  it('a large spec without aliases is no alias bomb, also when its positions are needed (issue 17)', () => {
    // 30,000 messages are over 200,000 YAML nodes; the unknown key at the end makes protoflow parse it for positions.
    const messages = Array.from({ length: 30_000 }, (_, i) => `      - { message: "M${i} * x", from: a, to: b, fields: [x] }\n`).join('');
    const text = `protoflow: 1\ntitle: "Big * spec"\nparticipants:\n  a: { kind: service }\n  b: { kind: service }\nphases:\n  - title: P\n    steps:\n${messages}bogus: 1\n`;
    const result = compileSpec({ name: 'big.yaml', text }, HOST.cwd);
    expect(result.diagnostics.map((d) => `${d.span?.line}:${d.span?.column} ${d.code}`)).toEqual(['30009:1 PF201']);
  });

  it('a spec nested thousands of levels deep is refused at the level that crosses the limit, not with a stack overflow (issue 17)', () => {
    const flow = `protoflow: 1\ntitle: deep\nparticipants: {}\nphases: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    const block = `protoflow: 1\nphases:\n${Array.from({ length: 600 }, (_, i) => `${'  '.repeat(i)}- x:\n`).join('')}`;
    for (const [text, at] of [
      [flow, '4:509'],
      [block, '254:501'],
    ] as const) {
      const result = compileSpec({ name: 'deep.yaml', text }, HOST.cwd);
      expect(result.diagnostics.map((d) => `${d.span?.line}:${d.span?.column} ${d.code} ${d.message}`)).toEqual([
        `${at} PF101 the YAML is nested more than 500 levels deep here, deeper than protoflow reads`,
      ]);
    }
  });

  it('has a JSON form with code, severity, message and a positioned span', async () => {
    const { diagnostics } = await diagnose('invalid/PF301-undeclared-participant.yaml');
    const parsed = JSON.parse(diagnosticsToJson(diagnostics)) as { ok: boolean; diagnostics: unknown };
    expect(parsed.ok).toBe(false);
    expect(Array.isArray(parsed.diagnostics)).toBe(true);
    expect(parsed.diagnostics).toEqual([
      {
        code: 'PF301',
        severity: 'error',
        message: 'undeclared participant "sever" (the participants are client, server)',
        hint: 'did you mean "server"?',
        span: { file: `${FIXTURE_DIR}/invalid/PF301-undeclared-participant.yaml`, line: 11, column: 13, endLine: 11, endColumn: 18 },
      },
    ]);
  });
});

describe('every diagnostic code', () => {
  it('is named by a test or a fixture', () => {
    const self = fileURLToPath(import.meta.url);
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const path = `${dir}/${entry.name}`;
        return entry.isDirectory() ? files(path) : [path];
      });
    const tests = files(fileURLToPath(new URL('.', import.meta.url)))
      .filter((file) => file !== self)
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    expect(Object.values(DiagnosticCodes).filter((code) => !tests.includes(code))).toEqual([]);
  });
});
