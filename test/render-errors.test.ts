import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { protoflow } from './support/cli.js';
import { BrowserPool } from '../src/render/browser/pool.js';
import { rasterize } from '../src/render/browser/rasterize.js';
import { RenderSession } from '../src/render/session.js';
import { HOST } from './support/host.js';

/** A project folder with one small spec, `small.yaml`, and the given extra files. */
function project(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'protoflow-render-errors-'));
  writeFileSync(join(dir, 'small.yaml'), SMALL);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const SMALL = `protoflow: 1
title: Ping
participants:
  client: {}
  server: {}
phases:
  - title: Ping
    steps:
      - message: Ping
        from: client
        to: server
      - message: Pong
        from: server
        to: client
`;

/** A valid spec whose Mermaid source is far over Mermaid's 50,000-character limit. */
function hugeSpec(): string {
  const note = Array.from({ length: 1200 }, (_, i) => `          line ${i} of a note far too long for Mermaid to draw`).join('\n');
  return `${SMALL.replace('Ping\nparticipants', 'Huge\nparticipants')}      - note: |\n${note}\n        at: client\n`;
}

describe('renderers report what they refuse, and keep going', () => {
  it('PlantUML names the line it rejects, in both formats, and draws the next diagram', async () => {
    const session = new RenderSession(60_000, undefined, HOST);
    const renderer = session.renderer('plantuml');
    try {
      const broken = await renderer.render({ name: 'broken', source: '@startuml\nA -> B : hi\nfoo bar baz(\n@enduml\n', config: {}, formats: ['svg', 'png'] });
      expect([...broken.values()]).toEqual([
        { kind: 'rejected', line: 3, message: 'Syntax Error? (Assumed diagram type: sequence)' },
        { kind: 'rejected', line: 3, message: 'Syntax Error? (Assumed diagram type: sequence)' },
      ]);
      const fine = await renderer.render({ name: 'fine', source: '@startuml\nA -> B : hi\n@enduml\n', config: {}, formats: ['svg'] });
      expect(fine.get('svg')?.kind).toBe('image');
    } finally {
      await session.close();
    }
  });

  it('Mermaid names the line it rejects, refuses text over its size limit, and draws the next diagram', async () => {
    const session = new RenderSession(60_000, undefined, HOST);
    const renderer = session.renderer('mermaid');
    try {
      const broken = (await renderer.render({ name: 'broken', source: 'sequenceDiagram\n  A->>B: hi\n  A->>: \n', config: {}, formats: ['svg', 'png'] })).get(
        'png',
      );
      expect(broken).toMatchObject({ kind: 'rejected', line: 3 });
      expect(broken?.kind === 'rejected' && broken.message).toMatch(/^Parse error on line 3:/);
      const huge = (await renderer.render({ name: 'huge', source: `sequenceDiagram\n${'  A->>B: hi\n'.repeat(5000)}`, config: {}, formats: ['svg'] })).get(
        'svg',
      );
      expect(huge).toEqual({ kind: 'rejected', message: "Maximum text size in diagram exceeded: 60016 characters, Mermaid's limit is 50000" });
      const fine = await renderer.render({ name: 'fine', source: 'sequenceDiagram\n  A->>B: hi\n', config: {}, formats: ['svg'] });
      expect(fine.get('svg')?.kind).toBe('image');
    } finally {
      await session.close();
    }
  });

  it('a diagram a renderer rejects is a diagnostic at its spec; no image is written for it and the rest is built', async () => {
    const dir = project({ 'huge.yaml': hugeSpec() });
    const run = await protoflow(['build', 'small.yaml', 'huge.yaml', '--targets', 'mermaid-sequence', '--out', 'out'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'huge.yaml:1:1 error PF401 Mermaid rejected huge.sequence.mmd, so huge.sequence.mmd.svg and huge.sequence.mmd.png were not drawn: Maximum text size in diagram exceeded: ',
    );
    expect(run.stderr.match(/PF401/g)).toHaveLength(1);
    expect(run.stderr).toContain('hint: protoflow escapes every text of a spec, so this is a renderer limit or a protoflow bug');
    expect(readdirSync(join(dir, 'out')).sort()).toEqual([
      '.protoflow-images.json',
      'huge.sequence.mmd',
      'small.sequence.mmd',
      'small.sequence.mmd.png',
      'small.sequence.mmd.svg',
    ]);
  });

  it('a render over the time limit is stopped and reported, and the build ends with the text outputs written', async () => {
    const dir = project();
    const run = await protoflow(['build', 'small.yaml', '--render-timeout', '0.001', '--format', 'json'], dir);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { diagnostics: { code: string; message: string }[]; written: string[] };
    // The first renderer over the limit stops the build: one PF403, whichever it was.
    const timeouts = report.diagnostics.filter((d) => d.code === 'PF403');
    expect(timeouts).toHaveLength(1);
    expect(timeouts[0]!.message).toMatch(/ within 0\.001 s.*; the build stops here$/);
    // The images still waiting are not drawn, and the report says so once.
    const stopped = report.diagnostics.filter((d) => d.code === 'PF404');
    expect(stopped.map((d) => d.message)).toEqual([expect.stringMatching(/^\d+ image\(s\) not drawn: rendering stopped after the error above$/)]);
    expect(report.written.sort()).toEqual([
      'out/small.activity.puml',
      'out/small.flowchart.mmd',
      'out/small.sequence.mmd',
      'out/small.sequence.puml',
      'out/small.sequence.txt',
      'out/small.sequence.unicode.txt',
    ]);
    expect(readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.svg') || f.endsWith('.png'))).toEqual([]);
  });

  it('without Java: PlantUML is drawn in the browser by @plantuml/core, and every image is written', async () => {
    const dir = project();
    const run = await protoflow(['build', 'small.yaml'], dir, { JAVA_HOME: join(dir, 'no-java') });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const files = readdirSync(join(dir, 'out'));
    expect(files.filter((f) => f.includes('.puml.')).sort()).toEqual([
      'small.activity.puml.png',
      'small.activity.puml.svg',
      'small.sequence.puml.png',
      'small.sequence.puml.svg',
    ]);
    // The JVM's SVGs name their diagram type; @plantuml/core's do not, and are given the JVM's white background.
    const svg = readFileSync(join(dir, 'out/small.sequence.puml.svg'), 'utf8');
    expect(svg).not.toContain('data-diagram-type');
    expect(svg).toMatch(/^<svg style="background:#FFFFFF" /);
  });

  it('--plantuml-engine java without Java: one message with the install command, Mermaid images and text outputs still written', async () => {
    const dir = project();
    const run = await protoflow(['build', 'small.yaml', '--plantuml-engine', 'java'], dir, { JAVA_HOME: join(dir, 'no-java') });
    expect(run.code).toBe(1);
    expect(run.stderr.match(/PF402/g)).toHaveLength(1);
    expect(run.stderr).toContain(
      `error PF402 PlantUML needs Java, and JAVA_HOME (${join(dir, 'no-java')}) has no bin/java; install it with: sudo apt-get install -y default-jre-headless (or set JAVA_HOME); or draw PlantUML without Java: --plantuml-engine browser (or auto); not drawn: PlantUML PNG, PlantUML SVG images`,
    );
    const files = readdirSync(join(dir, 'out'));
    expect(files.filter((f) => f.includes('.puml'))).toEqual(['small.activity.puml', 'small.sequence.puml']);
    expect(files.filter((f) => f.includes('.mmd.')).sort()).toEqual([
      'small.flowchart.mmd.png',
      'small.flowchart.mmd.svg',
      'small.sequence.mmd.png',
      'small.sequence.mmd.svg',
    ]);
  });

  it('--plantuml-engine java without Java on PATH: the message says so', async () => {
    const dir = project();
    const env = { PATH: join(dir, 'empty'), JAVA_HOME: '' };
    const run = await protoflow(['build', 'small.yaml', '--targets', 'plantuml-sequence', '--plantuml-engine', 'java'], dir, env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error PF402 PlantUML needs Java, which is not on PATH; install it with: sudo apt-get install -y default-jre-headless');
    expect(existsSync(join(dir, 'out/small.sequence.puml'))).toBe(true);
  });

  it('an unknown --plantuml-engine is a usage error that lists the engines', async () => {
    const run = await protoflow(['build', 'small.yaml', '--plantuml-engine', 'javascript'], project());
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('protoflow: unknown PlantUML engine "javascript" (--plantuml-engine: auto, java, browser)\nRun "protoflow --help" for usage.\n');
  });

  it('without a browser: one message with the install commands; PlantUML SVGs (drawn by Java) and text outputs still written', async () => {
    const dir = project();
    const run = await protoflow(['build', 'small.yaml'], dir, { PUPPETEER_EXECUTABLE_PATH: join(dir, 'no-chromium') });
    expect(run.code).toBe(1);
    expect(run.stderr.match(/PF402/g)).toHaveLength(1);
    expect(run.stderr).toContain(
      `error PF402 drawing images needs a browser, and PUPPETEER_EXECUTABLE_PATH (${join(dir, 'no-chromium')}) is not an executable file; install it with: sudo apt-get install -y chromium, or run npx @puppeteer/browsers install chrome-headless-shell@stable --path ~/.cache/puppeteer, or set PUPPETEER_EXECUTABLE_PATH to a Chrome, Chromium or Edge binary; not drawn: Mermaid PNG, Mermaid SVG, PlantUML PNG images`,
    );
    const files = readdirSync(join(dir, 'out'));
    expect(files.filter((f) => f.includes('.mmd'))).toEqual(['small.flowchart.mmd', 'small.sequence.mmd']);
    expect(files.filter((f) => f.includes('.puml.')).sort()).toEqual(['small.activity.puml.svg', 'small.sequence.puml.svg']);
  });
});

describe('the shared browser', () => {
  it('replaces a tab whose task failed, serves every task waiting for one, and keeps drawing', async () => {
    const pool = new BrowserPool(60_000, HOST, 2);
    try {
      // More failing tasks than tabs: each failure must hand its place to a task still waiting.
      const failing = await Promise.all(
        [1, 2, 3, 4, 5].map(() =>
          pool.run(['png'], 'A test', async () => {
            throw new Error('boom');
          }),
        ),
      );
      for (const outcomes of failing) expect(outcomes.get('png')).toEqual({ kind: 'failed', message: 'Chromium failed: boom' });
      const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="red"/></svg>';
      const drawn = await pool.run(['png'], 'A test', async (tab) => new Map([['png', await rasterize(tab, svg, 10, 10)]]));
      expect(drawn.get('png')?.kind).toBe('image');
      const unreadable = await pool.run(['png'], 'A test', async (tab) => new Map([['png', await rasterize(tab, 'not an SVG', 10, 10)]]));
      expect(unreadable.get('png')).toEqual({ kind: 'failed', message: 'Chromium could not read the SVG as an image' });
    } finally {
      await pool.close();
    }
  });
});
