import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve('bin/protoflow.js');

/** Runs the installed CLI (compiled by `npm test` before the suite) as a user would. */
function protoflow(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'protoflow-cli-'));
  cpSync('specs', join(dir, 'specs'), { recursive: true });
  return dir;
}

const INVALID = `protoflow: 1
title: Broken
participants:
  client: {}
  server: {}
phases:
  - title: One
    steps:
      - message: Hello
        from: client
        to: sever
`;

describe('protoflow CLI', () => {
  it('build with no arguments turns every spec of specs/ into all four diagrams in out/, as source, SVG and PNG', () => {
    const dir = project();
    const run = protoflow(['build'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const specs = readdirSync('specs').map((f) => f.replace(/\.yaml$/, ''));
    const sources = specs.flatMap((s) => ['activity.puml', 'flowchart.mmd', 'sequence.mmd', 'sequence.puml'].map((e) => `${s}.${e}`));
    const images = sources.flatMap((s) => [`${s}.svg`, `${s}.png`]);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['.protoflow-images.json', ...sources, ...images].sort());
    for (const file of sources) {
      expect(readFileSync(join(dir, 'out', file), 'utf8'), file).toBe(readFileSync(join('test/golden', file), 'utf8'));
    }
    expect(run.stdout).toContain(`${specs.length} spec(s), ${sources.length + images.length} file(s) written, 0 unchanged, 0 error(s)`);
  });

  it('--no-flowchart-notes leaves notes out of flowcharts only', () => {
    const dir = project();
    expect(protoflow(['build', 'specs/https-tls12.yaml', '--no-flowchart-notes', '--out', 'bare'], dir).code).toBe(0);
    const flowchart = readFileSync(join(dir, 'bare/https-tls12.flowchart.mmd'), 'utf8');
    expect(flowchart).not.toContain('No Server Key Exchange');
    expect(readFileSync('test/golden/https-tls12.flowchart.mmd', 'utf8')).toContain('No Server Key Exchange');
    expect(readFileSync(join(dir, 'bare/https-tls12.sequence.mmd'), 'utf8')).toContain('No Server Key Exchange');
  });

  it('the committed out/ is current: a build there changes nothing and needs no renderer', () => {
    const dir = project();
    cpSync('out', join(dir, 'out'), { recursive: true });
    const nowhere = join(dir, 'nowhere');
    const run = protoflow(['build'], dir, { JAVA_HOME: nowhere, PUPPETEER_EXECUTABLE_PATH: nowhere });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(' spec(s), 0 file(s) written, ');
    const files = readdirSync('out').sort();
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(files);
    for (const file of files) expect(readFileSync(join(dir, 'out', file)).equals(readFileSync(join('out', file))), file).toBe(true);
  });

  it('a file named twice, spelt two ways, is built once', () => {
    const run = protoflow(['validate', 'specs/https-tls12.yaml', './specs/https-tls12.yaml'], project());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 spec(s) checked, 0 error(s)');
  });

  it('--targets and --out choose what is written where', () => {
    const dir = project();
    const run = protoflow(['build', 'specs/https-tls12.yaml', '--targets', 'mermaid-sequence', '--formats', 'source,svg', '--out', 'docs/diagrams'], dir);
    expect(run.code).toBe(0);
    expect(readdirSync(join(dir, 'docs/diagrams')).sort()).toEqual(['.protoflow-images.json', 'https-tls12.sequence.mmd', 'https-tls12.sequence.mmd.svg']);
  });

  it('validate reports file:line:col, the code and a code frame, exits 1 and writes nothing', () => {
    const dir = project();
    writeFileSync(join(dir, 'specs/broken.yaml'), INVALID);
    const run = protoflow(['validate'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('specs/broken.yaml:11:13 error PF301 undeclared participant "sever"\n  hint: did you mean "server"?\n');
    expect(run.stderr).toContain('> 11 |         to: sever\n     |             ^^^^^');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('--format json prints the diagnostics as JSON', () => {
    const dir = project();
    writeFileSync(join(dir, 'specs/broken.yaml'), INVALID);
    const run = protoflow(['validate', 'specs/broken.yaml', '--format', 'json'], dir);
    expect(run.code).toBe(1);
    const parsed = JSON.parse(run.stdout) as { ok: boolean; diagnostics: unknown[] };
    expect(parsed.ok).toBe(false);
    expect(parsed.diagnostics).toEqual([
      {
        code: 'PF301',
        severity: 'error',
        message: 'undeclared participant "sever"',
        hint: 'did you mean "server"?',
        span: { file: 'specs/broken.yaml', line: 11, column: 13, endLine: 11, endColumn: 18 },
      },
    ]);
  });

  it('a failed build keeps the previous outputs and leaves no temporary files', () => {
    const dir = project();
    expect(protoflow(['build', '--formats', 'source'], dir).code).toBe(0);
    const before = readFileSync(join(dir, 'out/https-tls12.sequence.puml'), 'utf8');
    writeFileSync(join(dir, 'specs/https-tls12.yaml'), INVALID);
    const run = protoflow(['build', '--formats', 'source'], dir);
    expect(run.code).toBe(1);
    expect(readFileSync(join(dir, 'out/https-tls12.sequence.puml'), 'utf8')).toBe(before);
    expect(readdirSync(join(dir, 'out')).filter((f) => f.includes('tmp'))).toEqual([]);
  });

  it('a spec with errors does not stop the others from building', () => {
    const dir = project();
    writeFileSync(join(dir, 'specs/broken.yaml'), INVALID);
    const run = protoflow(['build', '--formats', 'source'], dir);
    expect(run.code).toBe(1);
    expect(readdirSync(join(dir, 'out')).filter((f) => f.startsWith('https-tls12.'))).toHaveLength(4);
    expect(readdirSync(join(dir, 'out')).some((f) => f.startsWith('broken.'))).toBe(false);
  });

  it.each([
    [['bild'], 'unknown command "bild"; did you mean "build"?'],
    [['build', '--bogus'], "Unknown option '--bogus'"],
    [['build', '--targets', 'mermaid-sequense'], 'unknown target "mermaid-sequense"; did you mean "mermaid-sequence"? (targets: plantuml-sequence, mermaid-sequence, mermaid-flowchart, plantuml-activity)'],
    [['build', '--format', 'xml'], '--format must be "text" or "json", not "xml"'],
    [['validate', '--out', 'x'], 'validate writes nothing'],
    [['validate', '--formats', 'svg'], 'validate writes nothing'],
    [['build', '--formats', 'svg,pdf'], 'unknown format "pdf" (formats: source, svg, png)'],
    [['build', '--formats', 'svgs'], 'unknown format "svgs"; did you mean "svg"?'],
    [['build', '--render-timeout', 'soon'], '--render-timeout must be a number of seconds above 0, not "soon"'],
    [['build', '--render-timeout', '0'], '--render-timeout must be a number of seconds above 0, not "0"'],
  ])('usage error %j exits 2', (args, message) => {
    const run = protoflow(args, project());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('a missing input is an error, exit 1', () => {
    const run = protoflow(['validate', 'nope.yaml'], project());
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error PF001 no such file or folder: nope.yaml');
  });

  it('--help lists the commands and exits 0', () => {
    const run = protoflow(['--help'], project());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('protoflow build [files or folders...]');
    expect(run.stdout).toContain('protoflow validate');
  });
});
