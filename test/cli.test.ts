import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { protoflow } from './support/cli.js';
import { commandName } from '../src/cli/invocation.js';
import { COMMANDS } from '../src/cli/commands.js';

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
  it('build with no arguments turns every spec of specs/ into every target in out/, the diagrams as source, SVG and PNG, and its presence matrix', async () => {
    const dir = project();
    const run = await protoflow(['build'], dir);
    // The one PNG of the bundled specs over the size budget is warned of.
    expect(run.stderr).toMatch(/^(warning PF405 1 PNG\(s\) larger than 1\.0 MiB, the largest out\/tls13\.flowchart\.mmd\.png \(1\.0 MiB\)\n {2}hint: .*\n)?$/);
    expect(run.code).toBe(0);
    const specs = readdirSync('specs').map((f) => f.replace(/\.yaml$/, ''));
    const diagrams = specs.flatMap((s) => ['activity.puml', 'flowchart.mmd', 'sequence.mmd', 'sequence.puml'].map((e) => `${s}.${e}`));
    const ladders = specs.flatMap((s) => ['sequence.txt', 'sequence.unicode.txt'].map((e) => `${s}.${e}`));
    const sources = [...diagrams, ...ladders];
    const images = diagrams.flatMap((s) => [`${s}.svg`, `${s}.png`]);
    // Every bundled spec has variables, so each has a matrix.
    const matrices = specs.map((s) => `${s}.matrix.md`);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['.protoflow-images.json', ...sources, ...images, ...matrices].sort());
    for (const file of [...sources, ...matrices]) {
      expect(readFileSync(join(dir, 'out', file), 'utf8'), file).toBe(readFileSync(join('test/golden', file), 'utf8'));
    }
    expect(run.stdout).toContain(`${specs.length} spec(s), ${sources.length + images.length + matrices.length} file(s) written, 0 unchanged, 0 error(s)`);
  });

  it('--no-flowchart-notes leaves notes out of flowcharts only', async () => {
    const dir = project();
    expect((await protoflow(['build', 'specs/https-tls12.yaml', '--no-flowchart-notes', '--out', 'bare'], dir)).code).toBe(0);
    const flowchart = readFileSync(join(dir, 'bare/https-tls12.flowchart.mmd'), 'utf8');
    expect(flowchart).not.toMatch(/No Server Key\s+Exchange/);
    expect(readFileSync('test/golden/https-tls12.flowchart.mmd', 'utf8')).toMatch(/No Server Key\s+Exchange/);
    expect(readFileSync(join(dir, 'bare/https-tls12.sequence.mmd'), 'utf8')).toContain('No Server Key Exchange');
  });

  it('--flowchart-lanes chooses a lane per participant or per group; a config sets it, a wrong value is a usage error', async () => {
    const dir = project();
    cpSync('specs/oauth-device-flow.yaml', join(dir, 'specs/oauth-device-flow.yaml'));
    const lanes = (file: string) => [...readFileSync(join(dir, file), 'utf8').matchAll(/^\|(?:#\w+\|)?L\d+\| \S/gm)].length;
    const build = (out: string, ...options: string[]) =>
      protoflow(['build', 'specs/oauth-device-flow.yaml', '-t', 'plantuml-activity', '--formats', 'source', '-o', out, ...options], dir);
    expect((await build('auto')).code).toBe(0);
    expect(lanes('auto/oauth-device-flow.activity.puml')).toBe(4);
    expect((await build('each', '--flowchart-lanes', 'participants')).code).toBe(0);
    expect(lanes('each/oauth-device-flow.activity.puml')).toBe(7);
    writeFileSync(join(dir, 'protoflow.config.yaml'), 'flowchartLanes: participants\n');
    expect((await build('configured')).code).toBe(0);
    expect(lanes('configured/oauth-device-flow.activity.puml')).toBe(7);
    const wrong = await build('wrong', '--flowchart-lanes', 'group');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('unknown flowchart lanes "group"; did you mean "groups"? (--flowchart-lanes: auto, participants, groups)');
  });

  it('the committed out/ is current: a build there changes nothing and needs no renderer', async () => {
    const dir = project();
    cpSync('out', join(dir, 'out'), { recursive: true });
    // This repository's settings (every scenario, theme auto), which out/ was built with, and the docs it names.
    for (const file of ['protoflow.config.yaml', 'README.md', 'docs']) cpSync(file, join(dir, file), { recursive: true });
    const nowhere = join(dir, 'nowhere');
    const run = await protoflow(['build'], dir, { JAVA_HOME: nowhere, PUPPETEER_EXECUTABLE_PATH: nowhere });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(' spec(s), 0 file(s) written, ');
    const files = readdirSync('out').sort();
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(files);
    for (const file of files) expect(readFileSync(join(dir, 'out', file)).equals(readFileSync(join('out', file))), file).toBe(true);
  });

  it('a file named twice, spelt two ways, is built once', async () => {
    const run = await protoflow(['validate', 'specs/https-tls12.yaml', './specs/https-tls12.yaml'], project());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 spec(s) checked, 0 error(s)');
  });

  it('--targets and --out choose what is written where', async () => {
    const dir = project();
    const run = await protoflow(['build', 'specs/https-tls12.yaml', '--targets', 'mermaid-sequence', '--formats', 'source,svg', '--out', 'docs/diagrams'], dir);
    expect(run.code).toBe(0);
    expect(readdirSync(join(dir, 'docs/diagrams')).sort()).toEqual([
      '.protoflow-images.json',
      'https-tls12.matrix.md',
      'https-tls12.sequence.mmd',
      'https-tls12.sequence.mmd.svg',
    ]);
  });

  it('validate reports file:line:col, the code and a code frame, exits 1 and writes nothing', async () => {
    const dir = project();
    writeFileSync(join(dir, 'specs/broken.yaml'), INVALID);
    const run = await protoflow(['validate'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'specs/broken.yaml:11:13 error PF301 undeclared participant "sever" (the participants are client, server)\n  hint: did you mean "server"?\n',
    );
    expect(run.stderr).toContain('> 11 |         to: sever\n     |             ^^^^^');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('--format json prints the diagnostics as JSON', async () => {
    const dir = project();
    writeFileSync(join(dir, 'specs/broken.yaml'), INVALID);
    const run = await protoflow(['validate', 'specs/broken.yaml', '--format', 'json'], dir);
    expect(run.code).toBe(1);
    const parsed = JSON.parse(run.stdout) as { ok: boolean; diagnostics: unknown[] };
    expect(parsed.ok).toBe(false);
    expect(parsed.diagnostics).toEqual([
      {
        code: 'PF301',
        severity: 'error',
        message: 'undeclared participant "sever" (the participants are client, server)',
        hint: 'did you mean "server"?',
        span: { file: 'specs/broken.yaml', line: 11, column: 13, endLine: 11, endColumn: 18 },
      },
    ]);
  });

  it('a failed build keeps the previous outputs and leaves no temporary files', async () => {
    const dir = project();
    expect((await protoflow(['build', '--formats', 'source'], dir)).code).toBe(0);
    const before = readFileSync(join(dir, 'out/https-tls12.sequence.puml'), 'utf8');
    writeFileSync(join(dir, 'specs/https-tls12.yaml'), INVALID);
    const run = await protoflow(['build', '--formats', 'source'], dir);
    expect(run.code).toBe(1);
    expect(readFileSync(join(dir, 'out/https-tls12.sequence.puml'), 'utf8')).toBe(before);
    expect(readdirSync(join(dir, 'out')).filter((f) => f.includes('tmp'))).toEqual([]);
  });

  it('a spec with errors does not stop the others from building', async () => {
    const dir = project();
    writeFileSync(join(dir, 'specs/broken.yaml'), INVALID);
    const run = await protoflow(['build', '--formats', 'source'], dir);
    expect(run.code).toBe(1);
    expect(readdirSync(join(dir, 'out')).filter((f) => f.startsWith('https-tls12.'))).toHaveLength(7);
    expect(readdirSync(join(dir, 'out')).some((f) => f.startsWith('broken.'))).toBe(false);
  });

  it.each([
    [['bild'], 'unknown command "bild"; did you mean "build"?'],
    [['build', '--bogus'], "Unknown option '--bogus'"],
    [
      ['build', '--targets', 'mermaid-sequense'],
      'unknown target "mermaid-sequense"; did you mean "mermaid-sequence"? (targets: plantuml-sequence, mermaid-sequence, mermaid-flowchart, plantuml-activity, text-sequence, text-sequence-unicode)',
    ],
    [['build', '--format', 'xml'], '--format must be "text" or "json", not "xml"'],
    [['validate', '--out', 'x'], 'validate writes nothing'],
    [['validate', '--formats', 'svg'], 'validate writes nothing'],
    [['build', '--formats', 'svg,pdf'], 'unknown format "pdf" (formats: source, svg, png)'],
    [['build', '--formats', 'svgs'], 'unknown format "svgs"; did you mean "svg"?'],
    [['build', '--render-timeout', 'soon'], '--render-timeout must be a number of seconds above 0, not "soon"'],
    [['build', '--render-timeout', '0'], '--render-timeout must be a number of seconds above 0, not "0"'],
    [['build', '--render-timeout', '1073742'], '--render-timeout must be at most 86400 seconds (a day), not 1073742'],
    [
      ['build', 'specs/https-tls12.yaml', '--scenario', 'keyExchange=dhe'],
      '--scenario for specs/https-tls12.yaml: unknown value "dhe" for keyExchange; its values are static-dh, ephemeral-dh, rsa',
    ],
    [
      ['build', 'specs/https-tls12.yaml', '--scenario', 'kx=rsa'],
      '--scenario for specs/https-tls12.yaml: unknown variable "kx"; the variables are keyExchange, clientAuth, closer',
    ],
    [['build', '--scenario', 'keyExchange=rsa', '--all-scenarios'], '--scenario draws one scenario and --all-scenarios every one: choose one of them'],
    [['matrix', '--all-scenarios'], 'matrix writes nothing'],
  ])('usage error %j exits 2', async (args, message) => {
    const run = await protoflow(args, project());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('--scenario draws that one scenario as a straight flow in every target, named by its values', async () => {
    const dir = project();
    const run = await protoflow(['build', 'specs/https-tls12.yaml', '--scenario', 'keyExchange=rsa,clientAuth=on', '--formats', 'source'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const base = 'https-tls12--keyExchange-rsa--clientAuth-on--closer-client';
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(
      ['activity.puml', 'flowchart.mmd', 'sequence.mmd', 'sequence.puml', 'sequence.txt', 'sequence.unicode.txt'].map((e) => `${base}.${e}`),
    );
    const sequence = readFileSync(join(dir, 'out', `${base}.sequence.mmd`), 'utf8');
    expect(sequence).toContain('title HTTPS with TLS 1.2: Key exchange = RSA, Client authentication = Required');
    expect(sequence).not.toMatch(/^\s*(alt|else)\b/m);
    // Only what may happen in every scenario stays optional: the session ticket, the server's answering close (beside the
    // TCP teardown), and each acknowledgement of a FIN that may ride on the other side's FIN.
    expect(sequence.match(/^\s*opt\b.*$/gm)).toEqual([
      '  opt Session ticket (RFC 5077)',
      '    opt The server answers the close',
      '      opt The server acknowledges it on its own',
      '      opt The client acknowledges it on its own',
    ]);
    expect(sequence).toContain('Certificate Verify');
    expect(sequence).not.toContain('Server Key Exchange (12)');
  });

  it('--all-scenarios writes the full diagrams, the matrix and exactly the declared combinations', async () => {
    const dir = project();
    cpSync('test/fixtures/valid/scenarios-exclude.yaml', join(dir, 'specs/scenarios-exclude.yaml'));
    const run = await protoflow(['build', 'specs/https-tls12.yaml', 'specs/scenarios-exclude.yaml', '--all-scenarios', '--formats', 'source'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const sets = (spec: string) => [
      ...new Set(
        readdirSync(join(dir, 'out'))
          .filter((f) => f.startsWith(`${spec}.`) || f.startsWith(`${spec}--`))
          .map((f) => f.replace(/\.(activity\.puml|flowchart\.mmd|sequence\.mmd|sequence\.puml|sequence\.txt|sequence\.unicode\.txt|matrix\.md)$/, '')),
      ),
    ];
    expect(sets('https-tls12').sort()).toEqual(
      [
        '',
        ...['static-dh', 'ephemeral-dh', 'rsa'].flatMap((k) =>
          ['off', 'on'].flatMap((c) => ['client', 'server'].map((closer) => `--keyExchange-${k}--clientAuth-${c}--closer-${closer}`)),
        ),
      ]
        .map((s) => `https-tls12${s}`)
        .sort(),
    );
    // resumed with ECDHE is excluded; the two resumed scenarios left draw the same flow, once
    expect(sets('scenarios-exclude').sort()).toEqual(
      [
        '',
        '--resumption-full--clientAuth-off--keyExchange-rsa',
        '--resumption-full--clientAuth-off--keyExchange-ecdhe',
        '--resumption-full--clientAuth-on--keyExchange-rsa',
        '--resumption-full--clientAuth-on--keyExchange-ecdhe',
        '--resumption-resumed--keyExchange-rsa',
      ]
        .map((s) => `scenarios-exclude${s}`)
        .sort(),
    );
    expect(
      readdirSync(join(dir, 'out'))
        .filter((f) => f.endsWith('.matrix.md'))
        .sort(),
    ).toEqual(['https-tls12.matrix.md', 'scenarios-exclude.matrix.md']);
    // Nothing changed: the second build writes nothing.
    const again = await protoflow(['build', 'specs/https-tls12.yaml', 'specs/scenarios-exclude.yaml', '--all-scenarios', '--formats', 'source'], dir);
    expect(again.stdout).toContain('2 spec(s), 0 file(s) written, 116 unchanged, 0 error(s)');
  });

  it('--scenario refuses a combination the spec excludes, naming where', async () => {
    const dir = project();
    cpSync('test/fixtures/valid/scenarios-exclude.yaml', join(dir, 'specs/scenarios-exclude.yaml'));
    const run = await protoflow(['build', 'specs/scenarios-exclude.yaml', '--scenario', 'resumption=resumed,keyExchange=ecdhe'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'protoflow: --scenario for specs/scenarios-exclude.yaml: resumption=resumed,clientAuth=off,keyExchange=ecdhe is excluded by specs/scenarios-exclude.yaml:20 (scenarios.exclude)',
    );
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('--scenario draws each spec that declares the variables named, leaves out the others, and may be repeated', async () => {
    const dir = project();
    const run = await protoflow(['build', '-s', 'keyExchange=rsa', '--scenario', 'clientAuth=on', '--formats', 'source'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // https-browser has no clientAuth and https-overview no keyExchange: only https-tls12 is drawn.
    expect([...new Set(readdirSync(join(dir, 'out')).map((f) => f.replace(/(\.[a-z]+)+$/, '')))]).toEqual([
      'https-tls12--keyExchange-rsa--clientAuth-on--closer-client',
    ]);
    const resumed = await protoflow(['build', '-s', 'resumption=resumed', '--formats', 'source', '--out', 'resumed'], dir);
    expect(resumed.code).toBe(0);
    expect(readdirSync(join(dir, 'resumed'))).toHaveLength(6);
    expect(readdirSync(join(dir, 'resumed')).every((f) => f.startsWith('https-overview--clientAuth-off--resumption-resumed--closer-client.'))).toBe(true);
  });

  it.each([
    [['-s', ''], '--scenario needs at least one VARIABLE=VALUE'],
    [['-s', 'keyExchange'], '--scenario: "keyExchange" is not VARIABLE=VALUE'],
    [['-s', 'keyExchange=rsa', '-s', 'keyExchange=rsa'], '--scenario: variable "keyExchange" is named twice'],
    [
      ['-s', 'keyExchange=RSA'],
      '--scenario for specs/https-browser.yaml: unknown value "RSA" for keyExchange (did you mean "rsa"?); its values are rsa, ecdhe',
    ],
    [['-s', 'colour=red'], '--scenario: no spec declares the variable "colour"'],
  ])('--scenario %j on every spec is a usage error, before anything is written', async (args, message) => {
    const dir = project();
    const run = await protoflow(['build', ...args], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('a spec with warnings is still written', async () => {
    const dir = project();
    cpSync('test/fixtures/warnings/PF313-no-branch-for-value.yaml', join(dir, 'partial.yaml'));
    const run = await protoflow(['build', 'partial.yaml', '--formats', 'source'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 spec(s), 7 file(s) written, 0 unchanged, 0 error(s), 2 warning(s)');
    expect(readdirSync(join(dir, 'out')).sort()).toEqual([
      'partial.activity.puml',
      'partial.flowchart.mmd',
      'partial.matrix.md',
      'partial.sequence.mmd',
      'partial.sequence.puml',
      'partial.sequence.txt',
      'partial.sequence.unicode.txt',
    ]);
  });

  it('two specs whose outputs would have the same name: the second is an error and writes nothing', async () => {
    const dir = project();
    mkdirSync(join(dir, 'clash'));
    cpSync('test/fixtures/valid/scenarios-only.yaml', join(dir, 'clash/titled.yaml'));
    // Named like the first scenario's files of titled.yaml, and sorted before it ("-" < ".").
    cpSync('test/fixtures/valid/every-step-kind.yaml', join(dir, 'clash/titled--clientAuth-on--keyExchange-ecdhe.yaml'));
    const run = await protoflow(['build', 'clash', '--all-scenarios', '--formats', 'source'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'error PF003 clash/titled.yaml and clash/titled--clientAuth-on--keyExchange-ecdhe.yaml would both write titled--clientAuth-on--keyExchange-ecdhe.sequence.puml; rename one',
    );
    expect(readdirSync(join(dir, 'out')).some((f) => f.startsWith('titled.'))).toBe(false);
  });

  it('matrix prints the presence matrix as Markdown, or as JSON', async () => {
    const dir = project();
    const markdown = await protoflow(['matrix', 'specs/https-tls12.yaml'], dir);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toBe(readFileSync('test/golden/https-tls12.matrix.md', 'utf8'));
    expect(markdown.stderr).toBe('1 spec(s), 1 matrix(es), 0 error(s)\n');
    writeFileSync(
      join(dir, 'plain.yaml'),
      'protoflow: 1\ntitle: Plain\nparticipants: { a: {} }\nphases:\n  - title: One\n    steps:\n      - action: Think\n        by: a\n',
    );
    const plain = await protoflow(['matrix', 'plain.yaml'], dir);
    expect([plain.code, plain.stdout, plain.stderr]).toEqual([0, '', '1 spec(s), 0 matrix(es) (plain.yaml: no variables, one scenario), 0 error(s)\n']);
    const json = await protoflow(['matrix', 'specs/https-tls12.yaml', '--format', 'json'], dir);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as {
      ok: boolean;
      matrices: { spec: string; columns: { name: string }[]; rows: { id?: string; line: number; present: boolean[] }[] }[];
    };
    expect(parsed.ok).toBe(true);
    const [tls] = parsed.matrices;
    expect(tls!.spec).toBe('specs/https-tls12.yaml');
    const ske = tls!.rows.find((r) => r.id === 'server-key-exchange')!;
    expect(tls!.columns.filter((_, i) => ske.present[i]).map((c) => c.name)).toEqual([
      'keyExchange-ephemeral-dh--clientAuth-off--closer-client',
      'keyExchange-ephemeral-dh--clientAuth-off--closer-server',
      'keyExchange-ephemeral-dh--clientAuth-on--closer-client',
      'keyExchange-ephemeral-dh--clientAuth-on--closer-server',
    ]);
    expect(ske.line).toBe(
      readFileSync('specs/https-tls12.yaml', 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('message: Server Key Exchange')) + 1,
    );
  });

  it('validate reports branches no scenario takes and alts that leave values out, as warnings, and exits 0', async () => {
    const dir = project();
    cpSync('test/fixtures/warnings/PF313-no-branch-for-value.yaml', join(dir, 'specs/partial.yaml'));
    const run = await protoflow(['validate', 'specs/partial.yaml'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('specs/partial.yaml:17:9 warning PF313 no branch for keyExchange=dhe or keyExchange=ecdhe');
    expect(run.stdout).toContain('1 spec(s) checked, 0 error(s), 2 warning(s)');
  });

  it('init writes a commented starter spec that validates cleanly and builds, and never overwrites one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'protoflow-init-'));
    const made = await protoflow(['init', 'login'], dir);
    expect(made.code).toBe(0);
    expect(made.stdout).toContain('wrote specs/login.yaml');
    const text = readFileSync(join(dir, 'specs/login.yaml'), 'utf8');
    // The schema named in the first line is the one this protoflow ships.
    const schema = /^# yaml-language-server: \$schema=(.+)$/m.exec(text)![1]!;
    expect(readFileSync(join(dir, 'specs', schema), 'utf8')).toBe(readFileSync('schema/protoflow.schema.json', 'utf8'));
    const validate = await protoflow(['validate'], dir);
    expect([validate.code, validate.stderr, validate.stdout]).toEqual([0, '', '1 spec(s) checked, 0 error(s)\n']);
    const build = await protoflow(['build', '--all-scenarios', '--formats', 'source'], dir);
    expect([build.code, build.stderr]).toEqual([0, '']);
    expect(readdirSync(join(dir, 'out'))).toContain('login--mfa-on.sequence.puml');
    const again = await protoflow(['init', 'login'], dir);
    expect([again.code, again.stderr]).toEqual([1, 'protoflow: specs/login.yaml already exists; init never overwrites a spec\n']);
    expect(readFileSync(join(dir, 'specs/login.yaml'), 'utf8')).toBe(text);
    expect((await protoflow(['init', '../escape'], dir)).code).toBe(2);
  });

  it("init writes into the config's first spec folder, and the schema line still finds the schema", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'protoflow-init-'));
    writeFileSync(join(dir, 'protoflow.config.yaml'), 'specs: [docs/flows/handshake.yaml, docs/flows]\n');
    const made = await protoflow(['init', 'login'], dir);
    expect([made.code, made.stderr]).toEqual([0, '']);
    expect(made.stdout).toBe(
      'wrote docs/flows/login.yaml: check it with "protoflow validate docs/flows/login.yaml", draw it with "protoflow build docs/flows/login.yaml"\n',
    );
    const text = readFileSync(join(dir, 'docs/flows/login.yaml'), 'utf8');
    const schema = /^# yaml-language-server: \$schema=(.+)$/m.exec(text)![1]!;
    expect(existsSync(join(dir, 'docs/flows', schema))).toBe(true);
    expect(existsSync(join(dir, 'specs'))).toBe(false);
  });

  it('check takes text outputs with CRLF line endings (a Windows checkout) as current', async () => {
    const dir = project();
    expect((await protoflow(['build', 'specs/tcp-handshake.yaml', '--formats', 'source'], dir)).code).toBe(0);
    for (const file of readdirSync(join(dir, 'out')).filter((f) => !f.startsWith('.'))) {
      const path = join(dir, 'out', file);
      writeFileSync(path, readFileSync(path, 'utf8').replaceAll('\n', '\r\n'));
    }
    const run = await protoflow(['check', 'specs/tcp-handshake.yaml', '--formats', 'source'], dir);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toMatch(/: \d+ current, 0 stale, 0 missing, 0 orphaned, 0 error\(s\)\n$/);
  });

  it('the PlantUML engine is part of each image key: set in the config, and checked by check', async () => {
    const dir = project();
    const spec = 'specs/tcp-handshake.yaml';
    writeFileSync(join(dir, 'protoflow.config.yaml'), 'plantumlEngine: browser\ntargets: [plantuml-sequence]\nformats: [source, svg]\n');
    const built = await protoflow(['build', spec], dir);
    expect([built.code, built.stderr]).toEqual([0, '']);
    expect(readFileSync(join(dir, 'out/tcp-handshake.sequence.puml.svg'), 'utf8')).not.toContain('data-diagram-type');
    // Drawn by the browser engine: current for it and for auto, stale for java.
    expect((await protoflow(['check', spec], dir)).code).toBe(0);
    expect((await protoflow(['check', spec, '--plantuml-engine', 'auto'], dir)).code).toBe(0);
    const java = await protoflow(['check', spec, '--plantuml-engine', 'java'], dir);
    expect(java.code).toBe(1);
    expect(java.stdout).toContain('stale: out/tcp-handshake.sequence.puml.svg (an image drawn from another source, format or renderer)');
    writeFileSync(join(dir, 'protoflow.config.yaml'), 'plantumlEngine: jvm\n');
    const wrong = await protoflow(['build', spec], dir);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('protoflow.config.yaml:1:17 error PF205 "plantumlEngine" must be "auto", "java" or "browser", not "jvm"');
  });

  it('control characters in a spec are shown as text in code frames, never sent to the terminal', async () => {
    const dir = project();
    const attack = '\x1b[2J\x1b[H0 error(s)\x07\x9b31m';
    writeFileSync(join(dir, 'specs', 'evil.yaml'), `protoflow: 1\ntitle: x\n# ${attack}\nparticipants: { a: { kind: servce } }\nphases: []\n`);
    for (const flags of [[], ['--no-color']]) {
      const run = await protoflow(['validate', 'specs/evil.yaml', ...flags], dir);
      expect(run.code).toBe(1);
      expect(run.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
      expect(run.stderr).toContain('# \\x1b[2J\\x1b[H0 error(s)\\x07\\x9b31m');
    }
  });

  it('hints name "npx protoflow" when protoflow runs from a project\'s node_modules', () => {
    const root = mkdtempSync(join(tmpdir(), 'protoflow-invocation-'));
    const installed = join(root, 'node_modules', 'protoflow');
    mkdirSync(installed, { recursive: true });
    expect(commandName(installed)).toBe('protoflow');
    writeFileSync(join(root, 'package.json'), '{}');
    expect(commandName(installed)).toBe('npx protoflow');
    expect(commandName(resolve('.'))).toBe('protoflow');
    // pnpm: node_modules/.pnpm/protoflow@VERSION/node_modules/protoflow
    expect(commandName(join(root, 'node_modules', '.pnpm', 'protoflow@0.1.0', 'node_modules', 'protoflow'))).toBe('npx protoflow');
  });

  it('schema prints the JSON Schema committed in schema/', async () => {
    const run = await protoflow(['schema'], project());
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(readFileSync('schema/protoflow.schema.json', 'utf8'));
  });

  it('protoflow.config.yaml sets the defaults, flags override it, and its mistakes are reported at their line', async () => {
    const dir = project();
    const config = join(dir, 'protoflow.config.yaml');
    writeFileSync(
      config,
      'specs: [specs/https-tls12.yaml]\nout: diagrams\nformats: [source]\nscenarios: all\ntargets: [mermaid-sequence]\nflowchartNotes: false\n',
    );
    const run = await protoflow(['build'], dir);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(readdirSync(join(dir, 'diagrams'))).toHaveLength(1 + 12 + 1);
    expect((await protoflow(['check'], dir)).stdout).toBe('1 spec(s): 14 current, 0 stale, 0 missing, 0 orphaned, 0 error(s)\n');
    // Flags win: another target, one scenario, another folder.
    const flagged = await protoflow(['build', '--targets', 'plantuml-sequence', '--scenario', 'keyExchange=rsa', '--out', 'one'], dir);
    expect(flagged.code).toBe(0);
    expect(readdirSync(join(dir, 'one'))).toEqual(['https-tls12--keyExchange-rsa--clientAuth-off--closer-client.sequence.puml']);

    writeFileSync(config, 'out: diagrams\ntargts: [mermaid-sequence]\nformats: [svgs]\n');
    const wrong = await protoflow(['build'], dir);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(
      'protoflow.config.yaml:2:1 error PF201 unknown key "targts" in the config; allowed: specs, out, targets, formats, scenarios, docs, templates, flowchartNotes, flowchartLanes, plantumlEngine, theme\n  hint: did you mean "targets"?',
    );
    expect(wrong.stderr).toContain(
      'protoflow.config.yaml:3:11 error PF205 item 1 of "formats" must be "source", "svg" or "png", not "svgs"\n  hint: did you mean "svg"?',
    );
  });

  it('--templates generates with a copy of templates/, and a change there rebuilds', async () => {
    const dir = project();
    cpSync('templates', join(dir, 'my-templates'), { recursive: true });
    const message = join(dir, 'my-templates/mermaid-sequence/diagram.hbs');
    writeFileSync(message, readFileSync(message, 'utf8').replace('sequenceDiagram', '%% house style\nsequenceDiagram'));
    const args = ['build', 'specs/https-tls12.yaml', '--formats', 'source', '--templates', 'my-templates'];
    expect((await protoflow(args, dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'out/https-tls12.sequence.mmd'), 'utf8')).toContain('%% house style\nsequenceDiagram');
    writeFileSync(message, readFileSync(message, 'utf8').replace('house style', 'new style'));
    expect((await protoflow(args, dir)).stdout).toContain('1 file(s) written');
    expect(readFileSync(join(dir, 'out/https-tls12.sequence.mmd'), 'utf8')).toContain('%% new style');
    expect((await protoflow(['build', '--templates', 'nowhere'], dir)).stderr).toContain('--templates: nowhere is not a folder');
  });

  it("matrix writes the presence matrix with the project's templates too (--templates or the config's)", async () => {
    const dir = project();
    cpSync('templates', join(dir, 'my-templates'), { recursive: true });
    const matrix = join(dir, 'my-templates/markdown-matrix/matrix.hbs');
    writeFileSync(matrix, `<!-- house style -->\n${readFileSync(matrix, 'utf8')}`);
    expect((await protoflow(['matrix', 'specs/https-tls12.yaml', '--templates', 'my-templates'], dir)).stdout).toMatch(/^<!-- house style -->\n/);
    writeFileSync(join(dir, 'protoflow.config.yaml'), 'templates: my-templates\n');
    expect((await protoflow(['matrix', 'specs/https-tls12.yaml'], dir)).stdout).toMatch(/^<!-- house style -->\n/);
  });

  it('a template Handlebars cannot compile is PF004 naming its folder, and its output is not written', async () => {
    const dir = project();
    cpSync('templates', join(dir, 'my-templates'), { recursive: true });
    writeFileSync(join(dir, 'my-templates/mermaid-sequence/diagram.hbs'), '{{#each participants}}unclosed\n');
    const run = await protoflow(['build', 'specs/tcp-handshake.yaml', '--formats', 'source', '--templates', 'my-templates'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error PF004 template mermaid-sequence failed: Parse error on line 2:/m);
    expect(existsSync(join(dir, 'out/tcp-handshake.sequence.mmd'))).toBe(false);
  });

  it('a folder with no spec in it is PF002', async () => {
    const dir = project();
    mkdirSync(join(dir, 'empty'));
    const run = await protoflow(['validate', 'empty'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error PF002 no .yaml spec found in empty');
  });

  it('--quiet prints only errors, --verbose every file written; without a terminal there is no live count', async () => {
    const dir = project();
    cpSync('test/fixtures/warnings/PF313-no-branch-for-value.yaml', join(dir, 'specs/partial.yaml'));
    const quiet = await protoflow(['build', '--formats', 'source', '--quiet'], dir);
    expect([quiet.code, quiet.stdout, quiet.stderr]).toEqual([0, '', '']);
    rmSync(join(dir, 'out/partial.sequence.mmd'));
    const verbose = await protoflow(['build', 'specs/partial.yaml', '--formats', 'source', '--verbose'], dir);
    expect(verbose.code).toBe(0);
    expect(verbose.stdout).toMatch(
      /^wrote out\/partial\.sequence\.mmd\n1 spec\(s\), 1 file\(s\) written, 6 unchanged, 0 error\(s\), 2 warning\(s\) in \d+\.\d s\n$/,
    );
    expect(verbose.stderr).toContain('warning PF313');
    expect(verbose.stderr).not.toContain('drawing');
  });

  it('a missing input is an error, exit 1', async () => {
    const run = await protoflow(['validate', 'nope.yaml'], project());
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error PF001 no such file or folder: nope.yaml');
  });

  it('--help lists every command and exits 0; COMMAND --help shows that command and only its options', async () => {
    const dir = project();
    const run = await protoflow(['--help'], dir);
    expect(run.code).toBe(0);
    for (const command of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${command.name} +\\S`, 'm'));
    for (const command of COMMANDS) {
      const help = await protoflow([command.name, '--help'], dir);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: protoflow ${command.name}\\b`));
      const shown = [...help.stdout.matchAll(/^ {2}(?:-\w, )? *--([\w-]+)/gm)].map((m) => m[1]);
      expect(shown, command.name).toEqual([...command.options, 'help']);
    }
    const build = (await protoflow(['build', '--help'], dir)).stdout;
    expect(build).toContain('--render-timeout SECONDS');
    expect(build).not.toContain('--trace');
    expect((await protoflow(['validate', '--force'], dir)).stderr).toContain(
      '--force is not an option of validate: validate writes nothing (see "protoflow validate --help")',
    );
  });
});
