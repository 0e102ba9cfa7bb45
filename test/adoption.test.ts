import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A user's first hour, on the package as published: `npm pack`, installed into a fresh project
 * with no PUPPETEER_* variable and no config, then init, build and check through npx, first with
 * no Java on PATH (PlantUML drawn by @plantuml/core in Chromium), then with Java (the JVM).
 */
const work = mkdtempSync(join(tmpdir(), 'protoflow-adoption-'));
const project = join(work, 'project');
const DIAGRAMS = ['flow.sequence.puml', 'flow.sequence.mmd', 'flow.flowchart.mmd', 'flow.activity.puml'];

/** The environment without the variables a user would not have set, and with the PATH given. */
function userEnv(path: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(PUPPETEER_|JAVA_HOME$|npm_|NODE_OPTIONS$|VITEST)/.test(name)));
  return { ...env, PATH: path, NO_COLOR: '1' };
}

/** A PATH holding every program of this one except `java`: one folder of links to them. */
function pathWithoutJava(): string {
  const folder = join(work, 'bin-without-java');
  mkdirSync(folder);
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (name === 'java' || existsSync(join(folder, name))) continue;
      symlinkSync(join(dir, name), join(folder, name));
    }
  }
  return folder;
}

function npx(args: readonly string[], path: string, cwd = project) {
  const result = spawnSync('npx', ['--no-install', 'protoflow', ...args], { cwd, encoding: 'utf8', env: userEnv(path) });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let noJava = '';
const withJava = process.env.PATH ?? '';

beforeAll(() => {
  // `npm test` compiled dist/ already; the tarball is what `npm publish` would upload.
  const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const tarball = (JSON.parse(packed) as { filename: string }[])[0]!.filename;
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'a-protocol-docs-repo', private: true }, null, 2)}\n`);
  noJava = pathWithoutJava();
  const installed = spawnSync('npm', ['install', '--save-dev', '--no-audit', '--no-fund', '--prefer-offline', join(work, tarball)], {
    cwd: project,
    encoding: 'utf8',
    env: userEnv(withJava),
  });
  if (installed.status !== 0) throw new Error(`npm install of the packed protoflow failed:\n${installed.stderr}`);
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('protoflow installed from its package', () => {
  it('installs no package that runs an install script (nothing is downloaded at install time)', () => {
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };
    expect(
      Object.entries(lock.packages)
        .filter(([, p]) => p.hasInstallScript)
        .map(([name]) => name),
    ).toEqual([]);
    expect(existsSync(join(project, 'node_modules', 'puppeteer'))).toBe(false);
    expect(existsSync(join(project, 'node_modules', '@mermaid-js', 'mermaid-cli'))).toBe(false);
  });

  it('ships no tests, fixtures or sources, and exports only its API', () => {
    const installed = join(project, 'node_modules', 'protoflow');
    expect(readdirSync(installed).sort()).toEqual(['LICENSE', 'README.md', 'bin', 'dist', 'package.json', 'schema', 'templates']);
    expect(existsSync(join(installed, 'test'))).toBe(false);
    expect(existsSync(join(installed, 'src'))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
      exports: Record<string, unknown>;
    };
    expect(manifest.scripts?.prepare).toBeUndefined();
    expect(manifest.scripts?.postinstall).toBeUndefined();
    const deep = spawnSync(process.execPath, ['--input-type=module', '-e', "await import('protoflow/dist/cli/main.js')"], { cwd: project, encoding: 'utf8' });
    expect(deep.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
    // The API builds a project as the CLI does: its specs' sources, written into its output folder.
    const script = [
      "import { Project, build } from 'protoflow';",
      "const project = new Project({ cwd: process.cwd(), env: process.env }, { inputs: ['api-specs'], outDir: 'api-out', formats: ['source'] });",
      'const report = await build(project, { write: true });',
      'console.log(JSON.stringify({ written: report.written, diagnostics: report.diagnostics }));',
    ].join('\n');
    mkdirSync(join(project, 'api-specs'), { recursive: true });
    cpSync('specs/tcp-handshake.yaml', join(project, 'api-specs', 'tcp-handshake.yaml'));
    const api = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project, encoding: 'utf8' });
    expect(api.stderr).toBe('');
    const built = JSON.parse(api.stdout) as { written: string[]; diagnostics: unknown[] };
    expect(built.diagnostics).toEqual([]);
    expect(built.written.sort()).toEqual(
      ['activity.puml', 'flowchart.mmd', 'matrix.md', 'sequence.mmd', 'sequence.puml', 'sequence.txt', 'sequence.unicode.txt'].map(
        (kind) => `api-out/tcp-handshake.${kind}`,
      ),
    );
  });

  it('without Java: init, build (PlantUML drawn by @plantuml/core) and check', () => {
    const init = npx(['init', 'flow'], noJava);
    expect(init.stderr).toBe('');
    expect(init.stdout).toBe(
      'wrote specs/flow.yaml: check it with "npx protoflow validate specs/flow.yaml", draw it with "npx protoflow build specs/flow.yaml"\n',
    );
    const built = npx(['build'], noJava);
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    const out = join(project, 'out');
    for (const diagram of DIAGRAMS) {
      for (const file of [diagram, `${diagram}.svg`, `${diagram}.png`]) expect(existsSync(join(out, file)), file).toBe(true);
    }
    // The JVM's SVGs say which kind of diagram they are; @plantuml/core's do not.
    for (const diagram of ['flow.sequence.puml', 'flow.activity.puml']) {
      const svg = readFileSync(join(out, `${diagram}.svg`), 'utf8');
      expect(svg).toMatch(/^<svg /);
      expect(svg).not.toContain('data-diagram-type=');
    }
    const checked = npx(['check'], noJava);
    expect(checked.stdout).toContain(', 0 stale, 0 missing, 0 orphaned, 0 error(s)');
    expect(checked.code).toBe(0);
    // Drawn without Java and checked with it: with the engine chosen automatically, either engine's image is current.
    expect(npx(['check'], withJava).code).toBe(0);
  });

  it('with Java: PlantUML is drawn by the JVM', () => {
    rmSync(join(project, 'out'), { recursive: true, force: true });
    const built = npx(['build'], withJava);
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    for (const diagram of ['flow.sequence.puml', 'flow.activity.puml']) {
      expect(readFileSync(join(project, 'out', `${diagram}.svg`), 'utf8')).toContain('data-diagram-type=');
    }
    expect(npx(['check'], noJava).code).toBe(0);
  });

  it('check, validate, schema, init and matrix load no browser, Mermaid, PlantUML or sharp code', () => {
    const heavy = /\/node_modules\/(puppeteer-core|mermaid|@plantuml\/core|@puppeteer\/browsers|chromium-bidi|sharp|@img)\//;
    const bin = join(project, 'node_modules', 'protoflow', 'bin', 'protoflow.js');
    const commands = [['check'], ['validate'], ['schema'], ['init', 'second'], ['matrix']];
    for (const args of commands) {
      const log = join(work, `loads-${args[0]}.txt`);
      writeFileSync(log, '');
      const result = spawnSync(process.execPath, ['--import', resolve('test/support/record-loads.mjs'), bin, ...args], {
        cwd: project,
        encoding: 'utf8',
        env: { ...userEnv(withJava), PROTOFLOW_LOAD_LOG: log },
      });
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      const loaded = readFileSync(log, 'utf8').split('\n');
      expect(
        loaded.some((url) => url.includes('/node_modules/protoflow/dist/cli/main.js')),
        'the hook saw protoflow load',
      ).toBe(true);
      expect(
        loaded.filter((url) => heavy.test(url)),
        args.join(' '),
      ).toEqual([]);
    }
  });

  it('doctor reports the machine, with and without Java and with a browser that is not there', () => {
    const good = npx(['doctor', '--format', 'json'], noJava);
    expect(good.code).toBe(0);
    const report = JSON.parse(good.stdout) as { ok: boolean; checks: { name: string; status: string; detail: string }[] };
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual(['Node.js', 'browser', 'PlantUML', 'PNG', 'fonts', 'CJK fonts', 'cache', 'config']);
    expect(report.checks.find((c) => c.name === 'PlantUML')!.detail).toMatch(/^drawn by @plantuml\/core 1\.2026\.8 in the browser \(no Java found\)/);
    expect(report.checks.find((c) => c.name === 'config')!.detail).toMatch(/^none: protoflow runs on its defaults/);
    // sharp loads from the packaged install: PNGs get their palette.
    expect(report.checks.find((c) => c.name === 'PNG')).toEqual({
      name: 'PNG',
      status: 'ok',
      detail: expect.stringMatching(/^written with a palette by libimagequant \d+\.\d+\.\d+ in sharp \d+\.\d+\.\d+$/),
    });
    expect(report.checks.find((c) => c.name === 'browser')!.detail).toMatch(/: .+ \(draws Mermaid, PlantUML, PNG images\)$/);

    const jvm = npx(['doctor'], withJava);
    expect(jvm.code).toBe(0);
    expect(jvm.stdout).toMatch(/^ok +PlantUML +drawn by PlantUML 1\.2026\.8 in one JVM: /m);

    const nowhere = join(work, 'no-such-browser');
    const broken = spawnSync('npx', ['--no-install', 'protoflow', 'doctor'], {
      cwd: project,
      encoding: 'utf8',
      env: { ...userEnv(noJava), PUPPETEER_EXECUTABLE_PATH: nowhere },
    });
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain(
      `ERROR    browser    drawing images needs a browser, and PUPPETEER_EXECUTABLE_PATH (${nowhere}) is not an executable file; `,
    );
    expect(broken.stdout).toMatch(/^ERROR +PlantUML +drawn by @plantuml\/core .*, and there is no browser \(above\)$/m);
    expect(broken.stderr).toMatch(/^protoflow cannot write everything the project asks for here/);

    const javaAsked = npx(['doctor', '--plantuml-engine', 'java'], noJava);
    expect(javaAsked.code).toBe(1);
    expect(javaAsked.stdout).toMatch(/^ERROR +PlantUML +--plantuml-engine java: PlantUML needs Java, which is not on PATH; install it with: /m);
  });

  it('--plantuml-engine: an unknown name is a usage error; java without Java is PF402 naming what to install', () => {
    const unknown = npx(['build', '--plantuml-engine', 'jvm'], noJava);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('protoflow: unknown PlantUML engine "jvm" (--plantuml-engine: auto, java, browser)\nRun "npx protoflow --help" for usage.\n');
    rmSync(join(project, 'out'), { recursive: true, force: true });
    const java = npx(['build', '--plantuml-engine', 'java', '--targets', 'plantuml-sequence'], noJava);
    expect(java.code).toBe(1);
    expect(java.stderr).toMatch(
      /^error PF402 PlantUML needs Java, which is not on PATH; install it with: .+ \(or set JAVA_HOME\); or draw PlantUML without Java: --plantuml-engine browser \(or auto\); not drawn: PlantUML PNG, PlantUML SVG images$/m,
    );
  });
});
