import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../src/diagnostics/format.js';
import { drawnSteps, messagesAndActions } from '../src/ir/steps.js';
import type { FlowIR, Step } from '../src/ir/types.js';
import { declaredScenarios } from '../src/scenarios/declared.js';
import { projectFlow } from '../src/scenarios/projection.js';
import { specMatrix } from '../src/project/outputs.js';
import { compileSpec, type CompileResult } from '../src/compile/load-spec.js';
import { generate } from '../src/targets/generate.js';
import { TARGETS } from '../src/targets/registry.js';
import { protoflow } from './support/cli.js';
import { parseMermaid } from './support/mermaid.js';
import { renderPlantUml } from './support/plantuml.js';
import { HOST } from './support/host.js';

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A project in a fresh temporary folder: path → YAML text, under `specs/` unless the path says otherwise. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'protoflow-includes-'));
  made.push(dir);
  for (const [path, text] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}

/** Compiles `spec` of the project, as the CLI does with the project's `specs/` folder as the root. */
function compileIn(dir: string, spec: string): CompileResult {
  const path = join(dir, spec);
  return compileSpec({ name: relative(process.cwd(), path), text: readFileSync(path, 'utf8'), root: join(dir, 'specs') }, HOST.cwd);
}

function compiled(dir: string, spec: string): FlowIR {
  const result = compileIn(dir, spec);
  expect(result.diagnostics).toEqual([]);
  return result.value!.flow;
}

/** The problems, as the CLI prints them (without code frames), with the project's folder shown as DIR. */
function problems(dir: string, result: CompileResult): string[] {
  const at = relative(process.cwd(), dir);
  return formatDiagnostics(result.diagnostics, { sources: new Map(), color: false })
    .split('\n\n')
    .map((text) => text.split(at).join('DIR').split(dir).join('DIR'));
}

/** `client → server: SYN` for messages, `client: Wait` for actions, in flow order. */
function story(steps: readonly Step[]): string[] {
  return messagesAndActions(steps).map((s) => (s.kind === 'message' ? `${s.from} → ${s.to}: ${s.label}` : `${s.by}: ${s.label}`));
}

const HANDSHAKE = `protoflow: 1
title: TCP handshake
participants:
  client: { label: Client }
  server: { label: Server }
variables:
  open:
    label: Opening
    values: { active: Active open, simultaneous: Simultaneous open }
phases:
  - title: Handshake
    id: handshake
    steps:
      - alt:
          - when: { open: active }
            steps:
              - message: SYN
                from: client
                to: server
              - message: SYN-ACK
                from: server
                to: client
              - message: ACK
                from: client
                to: server
          - when: { open: simultaneous }
            steps:
              - message: SYN
                from: client
                to: server
              - message: SYN
                from: server
                to: client
  - title: Established
    id: established
    steps:
      - action: Connected
        by: client
`;

/** HANDSHAKE with a misspelt participant on line 21. */
const BROKEN = HANDSHAKE.replace(
  'from: server\n                to: client\n              - message: ACK',
  'from: sever\n                to: client\n              - message: ACK',
);

/** HANDSHAKE excluding its simultaneous open. */
const WITHOUT_SIMULTANEOUS_OPEN = HANDSHAKE.replace('phases:', 'scenarios:\n  exclude:\n    - { open: simultaneous }\nphases:');

const spec = (steps: string, extra = '') => `protoflow: 1
title: Including
participants:
  browser: { label: Browser }
  origin: { label: Origin }
${extra}phases:
  - title: Connect
    steps:
${steps}`;

describe('includes: resolution', () => {
  it('resolves paths relative to the including file, into sub-folders and back up', async () => {
    const dir = project({
      'specs/lib/tcp.yaml': HANDSHAKE,
      'specs/app/main.yaml': spec(`      - include: ../lib/tcp.yaml#handshake
        with: { client: browser, server: origin, open: active }
`),
    });
    expect(story(compiled(dir, 'specs/app/main.yaml').phases[0]!.steps)).toEqual([
      'browser → origin: SYN',
      'origin → browser: SYN-ACK',
      'browser → origin: ACK',
    ]);
  });

  it('maps participants through "with", and takes the others by their own id', async () => {
    const dir = project({
      'specs/tcp.yaml': HANDSHAKE,
      'specs/main.yaml': `protoflow: 1
title: Including
participants:
  client: { label: Browser }
  origin: { label: Origin }
phases:
  - title: Connect
    steps:
      - include: tcp.yaml#handshake
        with: { server: origin, open: active }
`,
    });
    expect(story(compiled(dir, 'specs/main.yaml').phases[0]!.steps)).toEqual(['client → origin: SYN', 'origin → client: SYN-ACK', 'client → origin: ACK']);
  });

  it('inlines every phase of the included spec without "#", and only the named one with it', async () => {
    const dir = project({
      'specs/tcp.yaml': HANDSHAKE,
      'specs/whole.yaml': spec(`      - include: tcp.yaml
        with: { client: browser, server: origin, open: simultaneous }
`),
    });
    expect(story(compiled(dir, 'specs/whole.yaml').phases[0]!.steps)).toEqual(['browser → origin: SYN', 'origin → browser: SYN', 'browser: Connected']);
  });

  it('resolves nested includes, each relative to its own file, and locates every part in its file', async () => {
    const dir = project({
      'specs/a.yaml': spec(`      - include: sub/b.yaml
        with: { left: browser, right: origin }
`),
      'specs/sub/b.yaml': `protoflow: 1
title: B
participants: { left: {}, right: {} }
phases:
  - title: B
    steps:
      - message: From B
        from: left
        to: right
      - include: ../c/c.yaml
        with: { one: right, two: left }
`,
      'specs/c/c.yaml': `protoflow: 1
title: C
participants: { one: {}, two: {} }
phases:
  - title: C
    steps:
      - message: From C
        from: one
        to: two
`,
    });
    const result = compileIn(dir, 'specs/a.yaml');
    expect(result.diagnostics).toEqual([]);
    const { flow, locate } = result.value!;
    expect(story(flow.phases[0]!.steps)).toEqual(['browser → origin: From B', 'origin → browser: From C']);
    const fromC = messagesAndActions(flow.phases[0]!.steps)[1]!;
    const span = locate(fromC.source);
    expect([relative(dir, span.file), span.line]).toEqual(['specs/c/c.yaml', 7]);
    expect(span.includedFrom?.map((site) => [relative(dir, site.file), site.line])).toEqual([
      ['specs/sub/b.yaml', 10],
      ['specs/a.yaml', 9],
    ]);
    expect(result.files.map((file) => relative(dir, file.path)).sort()).toEqual(['specs/c/c.yaml', 'specs/sub/b.yaml']);
  });

  it('reports a cycle with the chain of files, at the include that closes it', async () => {
    const dir = project({
      'specs/a.yaml': spec('      - include: b.yaml\n'),
      'specs/b.yaml': spec('      - include: a.yaml\n'),
    });
    expect(problems(dir, compileIn(dir, 'specs/a.yaml'))).toEqual([
      'DIR/specs/b.yaml:9:18 error PF703 include cycle: DIR/specs/a.yaml → DIR/specs/b.yaml → DIR/specs/a.yaml\n  included from DIR/specs/a.yaml:9:18',
    ]);
    const self = project({ 'specs/self.yaml': spec('      - include: self.yaml\n') });
    expect(problems(self, compileIn(self, 'specs/self.yaml'))).toEqual([
      'DIR/specs/self.yaml:9:18 error PF703 include cycle: DIR/specs/self.yaml → DIR/specs/self.yaml',
    ]);
  });

  it('keeps includes inside the spec root: climbing out, absolute paths and symbolic links that lead out are refused', async () => {
    const dir = project({
      'secret.yaml': HANDSHAKE,
      'specs/main.yaml': spec(`      - include: ../../etc/passwd
      - include: /etc/passwd
      - include: ../secret.yaml
      - include: link.yaml
      - include: inside-link.yaml#handshake
        with: { client: browser, server: origin, open: active }
`),
      'specs/lib/tcp.yaml': HANDSHAKE,
    });
    symlinkSync(join(dir, 'secret.yaml'), join(dir, 'specs/link.yaml'));
    // A link that stays inside the root is followed.
    symlinkSync(join(dir, 'specs/lib/tcp.yaml'), join(dir, 'specs/inside-link.yaml'));
    expect(problems(dir, compileIn(dir, 'specs/main.yaml'))).toEqual([
      'DIR/specs/main.yaml:9:18 error PF702 cannot include "../../etc/passwd": it is outside the spec root DIR/specs',
      'DIR/specs/main.yaml:10:18 error PF702 cannot include "/etc/passwd": an include path is relative to the including file, not absolute\n  hint: write it relative to DIR/specs',
      'DIR/specs/main.yaml:11:18 error PF702 cannot include "../secret.yaml": it is outside the spec root DIR/specs',
      `DIR/specs/main.yaml:12:18 error PF702 cannot include "link.yaml": it leads through a symbolic link to DIR/secret.yaml, outside the spec root DIR/specs`,
    ]);
  });

  it('resolves the includes of an included spec from where it really is, through a linked folder', async () => {
    const dir = project({
      'specs/lib/deep/tcp.yaml': HANDSHAKE,
      'specs/lib/wrapper.yaml': spec('      - include: deep/tcp.yaml#handshake\n        with: { client: browser, server: origin, open: active }\n'),
      'specs/app/main.yaml': spec('      - include: ../linked/wrapper.yaml\n'),
    });
    symlinkSync(join(dir, 'specs/lib'), join(dir, 'specs/linked'));
    expect(story(compiled(dir, 'specs/app/main.yaml').phases[0]!.steps)).toEqual([
      'browser → origin: SYN',
      'origin → browser: SYN-ACK',
      'browser → origin: ACK',
    ]);
  });

  it('reads only spec files, with paths written with "/"', async () => {
    const dir = project({
      'specs/.env': 'API_KEY: secret\n',
      'specs/lib/tcp.yaml': HANDSHAKE,
      'specs/main.yaml': spec('      - include: .env\n      - include: lib\\tcp.yaml\n'),
    });
    expect(problems(dir, compileIn(dir, 'specs/main.yaml'))).toEqual([
      'DIR/specs/main.yaml:9:18 error PF701 cannot include ".env": only specs are included, and a spec\'s name ends in .yaml or .yml',
      'DIR/specs/main.yaml:10:18 error PF701 cannot include "lib\\tcp.yaml": paths are written with "/", on every system\n  hint: write "lib/tcp.yaml"',
    ]);
  });

  it('reports a missing file, with the name it probably meant', async () => {
    const dir = project({ 'specs/tcp.yaml': HANDSHAKE, 'specs/main.yaml': spec('      - include: tcp\n      - include: udp.yaml\n') });
    expect(problems(dir, compileIn(dir, 'specs/main.yaml'))).toEqual([
      'DIR/specs/main.yaml:9:18 error PF701 cannot include "tcp": only specs are included, and a spec\'s name ends in .yaml or .yml\n  hint: did you mean "tcp.yaml"?',
      'DIR/specs/main.yaml:10:18 error PF701 cannot include "udp.yaml": DIR/specs/udp.yaml does not exist',
    ]);
  });

  it('reports a mistake inside an included spec at its own line, naming the include site', async () => {
    const dir = project({
      'specs/broken.yaml': BROKEN,
      'specs/main.yaml': spec('      - include: broken.yaml\n        with: { client: browser, server: origin }\n'),
    });
    expect(problems(dir, compileIn(dir, 'specs/main.yaml'))).toEqual([
      'DIR/specs/broken.yaml:21:23 error PF301 undeclared participant "sever" (the participants are client, server)\n  included from DIR/specs/main.yaml:9:18\n  hint: did you mean "server"?',
    ]);
  });
});

describe('includes: variables', () => {
  const dirWith = (main: string) => project({ 'specs/tcp.yaml': HANDSHAKE, 'specs/main.yaml': main });

  it('projects away the variables "with" fixes: no alternative is left', async () => {
    const flow = compiled(
      dirWith(spec('      - include: tcp.yaml#handshake\n        with: { client: browser, server: origin, open: simultaneous }\n')),
      'specs/main.yaml',
    );
    expect(flow.variables).toEqual([]);
    expect(flow.phases[0]!.steps.map((s) => s.kind)).toEqual(['message', 'message']);
  });

  it('brings in a variable it does not fix, with its values, and draws a scenario for each', async () => {
    const flow = compiled(dirWith(spec('      - include: tcp.yaml#handshake\n        with: { client: browser, server: origin }\n')), 'specs/main.yaml');
    expect(flow.variables.map((v) => [v.id, v.values.map((x) => x.id)])).toEqual([['open', ['active', 'simultaneous']]]);
    const drawn = declaredScenarios(flow).map((d) => story(projectFlow(flow, d.scenario).phases[0]!.steps));
    expect(drawn).toEqual([
      ['browser → origin: SYN', 'origin → browser: SYN-ACK', 'browser → origin: ACK'],
      ['browser → origin: SYN', 'origin → browser: SYN'],
    ]);
  });

  it('lets this spec name a brought variable in its conditions and in scenarios.only, and locates it in the included spec', async () => {
    const dir = dirWith(
      spec(
        '      - include: tcp.yaml#handshake\n        with: { client: browser, server: origin }\n      - opt:\n          when: { open: simultaneous }\n          steps:\n            - action: Notice the crossing SYNs\n              by: browser\n',
        'scenarios:\n  only:\n    - values: { open: simultaneous }\n',
      ),
    );
    const result = compileIn(dir, 'specs/main.yaml');
    // The one scenario listed never takes the included spec's active-open branch.
    expect(problems(dir, result)).toEqual([
      'DIR/specs/tcp.yaml:15:13 warning PF312 branch "Opening = Active open" is never drawn: its condition holds in no declared scenario that reaches it\n  included from DIR/specs/main.yaml:12:18',
    ]);
    const flow = result.value!.flow;
    expect(declaredScenarios(flow).map((d) => story(projectFlow(flow, d.scenario).phases[0]!.steps))).toEqual([
      ['browser → origin: SYN', 'origin → browser: SYN', 'browser: Notice the crossing SYNs'],
    ]);
    const declared = result.value!.locate(flow.variables[0]!.source);
    expect([relative(dir, declared.file), declared.line, declared.includedFrom?.length]).toEqual(['specs/tcp.yaml', 8, 1]);
  });

  it('shares a variable this spec declares with the same id', async () => {
    const flow = compiled(
      dirWith(
        spec(
          '      - include: tcp.yaml#handshake\n        with: { client: browser, server: origin }\n',
          'variables:\n  open:\n    label: How the connection opens\n    values: { simultaneous: Both at once, active: One side }\n',
        ),
      ),
      'specs/main.yaml',
    );
    expect(flow.variables.map((v) => v.label)).toEqual(['How the connection opens']);
  });

  it('refuses a shared variable without every value of the included one, and fixed values it excludes', async () => {
    const dir = project({
      'specs/tcp.yaml': WITHOUT_SIMULTANEOUS_OPEN,
      'specs/main.yaml': spec(
        '      - include: tcp.yaml#handshake\n        with: { client: browser, server: origin }\n      - include: tcp.yaml#handshake\n        with: { client: browser, server: origin, open: simultaneous }\n',
        'variables:\n  open:\n    values: { active: One side }\n',
      ),
    });
    expect(problems(dir, compileIn(dir, 'specs/main.yaml'))).toEqual([
      'DIR/specs/main.yaml:12:18 error PF706 DIR/specs/tcp.yaml\'s variable "open" has the value "simultaneous", which "open" here does not have\n  hint: give "open" the same values, or fix it for this include: with: { open: active }',
      'DIR/specs/main.yaml:14:18 error PF706 DIR/specs/tcp.yaml excludes the values "with" fixes',
    ]);
  });

  it("keeps the included spec's exclusions on variables it shares with this spec", async () => {
    const dir = project({
      'specs/tcp.yaml': WITHOUT_SIMULTANEOUS_OPEN,
      'specs/main.yaml': spec(
        '      - include: tcp.yaml#handshake\n        with: { client: browser, server: origin }\n',
        'variables:\n  open:\n    values: { active: One side, simultaneous: Both }\n',
      ),
    });
    expect(declaredScenarios(compileIn(dir, 'specs/main.yaml').value!.flow).map((d) => d.scenario.get('open'))).toEqual(['active']);
  });

  it("brings in the included spec's exclusions on the variables it brings", async () => {
    const dir = project({
      'specs/tcp.yaml': WITHOUT_SIMULTANEOUS_OPEN,
      'specs/main.yaml': spec('      - include: tcp.yaml#handshake\n        with: { client: browser, server: origin }\n'),
    });
    const result = compileIn(dir, 'specs/main.yaml');
    // The branch for the excluded value is never drawn, in the included file.
    expect(problems(dir, result)).toEqual([
      'DIR/specs/tcp.yaml:29:13 warning PF312 branch "Opening = Simultaneous open" is never drawn: its condition holds in no declared scenario that reaches it\n  included from DIR/specs/main.yaml:9:18',
    ]);
    expect(declaredScenarios(result.value!.flow).map((d) => d.scenario.get('open'))).toEqual(['active']);
  });
});

const COLLAPSED = spec(`      - include: tcp.yaml#handshake
        with: { client: browser, server: origin, open: active }
        collapse: true
      - include: tcp.yaml#handshake
        with: { client: browser, server: origin, open: active }
        collapse: true
        label: "TCP: SYN, SYN-ACK, ACK"
      - message: GET /
        from: browser
        to: origin
`);

describe('includes: collapse', () => {
  const flow = () => compiled(project({ 'specs/tcp.yaml': HANDSHAKE, 'specs/main.yaml': COLLAPSED }), 'specs/main.yaml');

  it('is one reference box over the participants it involves, which still stands for its messages', async () => {
    const steps = flow().phases[0]!.steps;
    expect(drawnSteps(steps).map((s) => (s.kind === 'ref' ? `ref ${s.label} over ${s.over.join(', ')}` : s.kind))).toEqual([
      'ref Handshake over browser, origin',
      'ref TCP: SYN, SYN-ACK, ACK over browser, origin',
      'message',
    ]);
    expect(story(steps)).toHaveLength(7);
  });

  it('is drawn as a reference box in every target, and every renderer accepts it', async () => {
    const outputs = Object.fromEntries(TARGETS.map((target) => [target.name, generate(target, flow()).value!]));
    expect(outputs['plantuml-sequence']).toContain('ref over P1, P2 : TCP&#58; SYN&#44; SYN&#45;ACK&#44; ACK');
    expect(outputs['mermaid-sequence']).toMatch(/rect rgba\(128, 128, 128, 0\.15\)\n\s+Note over P1,P2: ref: Handshake\n\s+end/);
    expect(outputs['mermaid-flowchart']).toMatch(/n\d+\[\["Handshake"\]\]/);
    expect(outputs['plantuml-activity']).toContain(':Handshake; <<procedure>>');
    for (const name of ['plantuml-sequence', 'plantuml-activity']) expect((await renderPlantUml([outputs[name]!]))[0]!.error, name).toBeUndefined();
    for (const name of ['mermaid-sequence', 'mermaid-flowchart']) expect((await parseMermaid(outputs[name]!)).error, name).toBeUndefined();
  });

  it('is one row of the presence matrix', async () => {
    const dir = project({
      'specs/tcp.yaml': HANDSHAKE,
      'specs/main.yaml': spec('      - include: tcp.yaml#handshake\n        with: { client: browser, server: origin }\n        collapse: true\n'),
    });
    const matrix = specMatrix(compileIn(dir, 'specs/main.yaml').value!)!;
    // Both values of `open` draw the same box: one column, which stands for both scenarios.
    expect(matrix.view.columns.map((c) => [c.name, c.sameAs])).toEqual([['every-scenario', ['open=simultaneous']]]);
    expect(matrix.markdown.value).toContain('| ref: Handshake | Browser … Origin | ✓ |');
    // The box is written in this spec (no `file`), at the include step.
    expect(matrix.view.rows.map((row) => [row.kind, row.file, row.line])).toEqual([['ref', undefined, 9]]);
  });
});

describe('includes: the command line', () => {
  it('prints a mistake in an included spec with its code frame and the include site', async () => {
    const dir = project({
      'specs/broken.yaml': BROKEN,
      'specs/main.yaml': spec('      - include: broken.yaml\n        with: { client: browser, server: origin }\n'),
    });
    const run = await protoflow(['validate', 'specs/main.yaml'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'specs/broken.yaml:21:23 error PF301 undeclared participant "sever" (the participants are client, server)\n  included from specs/main.yaml:9:18\n',
    );
    expect(run.stderr).toContain('> 21 |                 from: sever');
  });

  it('rebuilds a spec when a spec it includes changes, and only then', async () => {
    const dir = project({ 'specs/tcp.yaml': HANDSHAKE, 'specs/main.yaml': COLLAPSED.replace('collapse: true', 'collapse: false') });
    const build = () => protoflow(['build', '--formats', 'source', '--targets', 'mermaid-sequence', '--format', 'json'], dir);
    const written = (run: Awaited<ReturnType<typeof build>>) =>
      (JSON.parse(run.stdout) as { written: string[] }).written.map((f) => relative(dir, join(dir, f))).sort();
    const outputs = ['out/main.sequence.mmd', 'out/tcp.matrix.md', 'out/tcp.sequence.mmd'];
    expect(written(await build())).toEqual(outputs);
    expect(written(await build())).toEqual([]);
    writeFileSync(join(dir, 'specs/tcp.yaml'), HANDSHAKE.replace('- message: SYN-ACK', '- message: SYN+ACK'));
    expect(written(await build())).toEqual(outputs);
    expect(readFileSync(join(dir, 'out/main.sequence.mmd'), 'utf8')).toContain('SYN+ACK');
    // Once the included spec is gone the spec is an error; once it is back, it is built again.
    rmSync(join(dir, 'specs/tcp.yaml'));
    const gone = await build();
    expect(gone.code).toBe(1);
    expect(gone.stdout).toContain('PF701');
    writeFileSync(join(dir, 'specs/tcp.yaml'), HANDSHAKE);
    expect(written(await build())).toEqual(outputs);
  });
});

describe('an include bomb (issue 17)', () => {
  it('stops at the include that makes the expanded flow too large, and says so at every include site', async () => {
    const head = 'protoflow: 1\ntitle: Level\nparticipants:\n  a: { kind: service }\n  b: { kind: service }\nphases:\n  - title: All\n    steps:\n';
    const files: Record<string, string> = {
      'specs/level0.yaml': head + Array.from({ length: 11 }, (_, i) => `      - { message: M${i}, from: a, to: b }\n`).join(''),
    };
    // Each level includes the one below ten times: 11, 110, 1,100, 11,000 steps, then 110,000.
    for (let level = 1; level <= 6; level++) {
      files[`specs/level${level}.yaml`] = head + Array.from({ length: 10 }, () => `      - include: level${level - 1}.yaml\n`).join('');
    }
    const dir = project(files);
    const started = Date.now();
    const result = compileIn(dir, 'specs/level6.yaml');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result.value).toBeUndefined();
    expect(problems(dir, result)).toEqual([
      'DIR/specs/level4.yaml:18:18 error PF707 with this include, the includes of this spec draw 110000 steps, more than the 100000 protoflow expands\n' +
        '  included from DIR/specs/level5.yaml:9:18\n' +
        '  included from DIR/specs/level6.yaml:9:18\n' +
        '  hint: each include draws every step of the spec it includes: a chain of specs that each include the one before several times multiplies them at every link',
    ]);
  });
});

describe('lifelines through includes', () => {
  const SPAWN = `protoflow: 1
title: Spawn
participants: { boss: {}, job: { created: true } }
steps:
  - message: Start
    from: boss
    to: job
    create: true
  - message: Finished
    from: job
    to: boss
    arrow: reply
  - destroy: job
`;
  const host = (include: string, after = '') => `protoflow: 1
title: Host
participants: { app: {}, srv: {}, job: { created: true } }
steps:
${include}${after}`;

  it('a collapsed include creates and ends the lifelines its steps do, and its box is drawn over a participant there from the start', async () => {
    const dir = project({
      'specs/spawn.yaml': SPAWN,
      'specs/host.yaml': host('  - include: spawn.yaml\n    with: { boss: app }\n    collapse: true\n'),
    });
    const flow = compiled(dir, 'specs/host.yaml');
    const mermaid = generate(TARGETS.find((t) => t.name === 'mermaid-sequence')!, flow).value!;
    expect(mermaid).not.toContain('create participant');
    expect((await parseMermaid(mermaid)).ok).toBe(true);
  });

  it('reports a step after an included destroy, and a creation `with:` maps onto a participant there from the start, at file and line', () => {
    const dir = project({
      'specs/spawn.yaml': SPAWN,
      'specs/host.yaml': host(
        '  - include: spawn.yaml\n    with: { boss: app }\n    collapse: true\n',
        '  - message: Are you there?\n    from: app\n    to: job\n',
      ),
      'specs/onto-present.yaml': host('  - include: spawn.yaml\n    with: { boss: app, job: srv }\n'),
    });
    expect(problems(dir, compileIn(dir, 'specs/host.yaml'))).toEqual([
      'DIR/specs/host.yaml:8:5 error PF319 "job" is destroyed at DIR/specs/spawn.yaml:13: nothing reaches it afterwards',
    ]);
    expect(problems(dir, compileIn(dir, 'specs/onto-present.yaml'))).toEqual([
      'DIR/specs/spawn.yaml:8:13 error PF320 "srv" is there from the start, so no message creates it\n  included from DIR/specs/onto-present.yaml:5:14',
    ]);
  });
});
