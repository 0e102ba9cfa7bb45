import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderKey } from '../src/render/cache.js';
import { ENGINES } from '../src/render/engines.js';
import { imageKeys } from '../src/render/render-images.js';

const BIN = resolve('bin/protoflow.js');

interface Run {
  code: number | null;
  diagnostics: { code: string; message: string }[];
  written: string[];
  unchanged: string[];
}

/** `protoflow build --format json` in `dir`; renderers pointed nowhere when `offline`. */
function build(dir: string, args: string[] = [], offline = false): Run {
  const nowhere = join(dir, 'nowhere');
  const env = { ...process.env, NO_COLOR: '1', ...(offline ? { JAVA_HOME: nowhere, PUPPETEER_EXECUTABLE_PATH: nowhere } : {}) };
  const result = spawnSync(process.execPath, [BIN, 'build', 'specs', '--format', 'json', ...args], { cwd: dir, encoding: 'utf8', env });
  const parsed = JSON.parse(result.stdout) as Omit<Run, 'code'>;
  return { code: result.status, ...parsed, written: parsed.written.sort(), unchanged: parsed.unchanged.sort() };
}

const spec = (title: string) => `protoflow: 1
title: ${title}
participants:
  client: {}
  server: {}
phases:
  - title: Exchange
    steps:
      - message: Request
        from: client
        to: server
      - message: Response
        from: server
        to: client
`;

const EXTENSIONS = ['sequence.puml', 'sequence.mmd', 'flowchart.mmd', 'activity.puml'];
/** The text ladders are text only: no images. */
const LADDERS = ['sequence.txt', 'sequence.unicode.txt'];
const outputsOf = (base: string) =>
  [...EXTENSIONS.flatMap((e) => [`out/${base}.${e}`, `out/${base}.${e}.svg`, `out/${base}.${e}.png`]), ...LADDERS.map((e) => `out/${base}.${e}`)].sort();
const imagesOf = (base: string) => outputsOf(base).filter((f) => f.endsWith('.svg') || f.endsWith('.png'));

describe('rebuilds draw only what changed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'protoflow-cache-'));
  beforeAll(() => {
    mkdirSync(join(dir, 'specs'));
    // Where stamps are kept, as in a real project.
    mkdirSync(join(dir, 'node_modules'));
    writeFileSync(join(dir, 'specs/alpha.yaml'), spec('Alpha'));
    writeFileSync(join(dir, 'specs/beta.yaml'), spec('Beta'));
    const first = build(dir);
    expect(first.diagnostics).toEqual([]);
    expect(first.written).toEqual([...outputsOf('alpha'), ...outputsOf('beta')].sort());
  });

  it('a fresh checkout of the outputs (no local stamps) draws nothing either', () => {
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    mkdirSync(join(dir, 'node_modules'));
    const run = build(dir, [], true);
    expect(run.code).toBe(0);
    expect(run.written).toEqual([]);
  });

  it('a build with nothing changed writes nothing and starts no renderer', () => {
    const again = build(dir, [], true);
    expect(again.code).toBe(0);
    expect(again.diagnostics).toEqual([]);
    expect(again.written).toEqual([]);
    expect(again.unchanged).toEqual([...outputsOf('alpha'), ...outputsOf('beta')].sort());
  });

  it('an edited spec redraws its own images only', () => {
    writeFileSync(join(dir, 'specs/alpha.yaml'), spec('Alpha, edited'));
    const run = build(dir);
    expect(run.diagnostics).toEqual([]);
    expect(run.written).toEqual(outputsOf('alpha'));
    expect(build(dir, [], true).written).toEqual([]);
  });

  it('a deleted image is drawn again, alone', () => {
    rmSync(join(dir, 'out/beta.sequence.puml.png'));
    const run = build(dir);
    expect(run.diagnostics).toEqual([]);
    expect(run.written).toEqual(['out/beta.sequence.puml.png']);
  });

  it('a damaged image is drawn again, alone', () => {
    writeFileSync(join(dir, 'out/beta.flowchart.mmd.svg'), '<svg/>');
    const run = build(dir);
    expect(run.written).toEqual(['out/beta.flowchart.mmd.svg']);
  });

  it('a source-only build leaves the images as they are and records so', () => {
    const sourceOnly = build(dir, ['--formats', 'source'], true);
    expect(sourceOnly.code).toBe(0);
    expect(sourceOnly.written).toEqual([]);
    expect(build(dir, [], true).written).toEqual([]);
  });

  it('--force draws every image again', () => {
    const run = build(dir, ['--force']);
    expect(run.diagnostics).toEqual([]);
    expect(run.written).toEqual([...imagesOf('alpha'), ...imagesOf('beta')].sort());
  });

  it('the manifest beside the outputs names every image with the hash it was drawn from', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'out/.protoflow-images.json'), 'utf8')) as {
      images: Record<string, { key: string; bytes: number }>;
    };
    expect(Object.keys(manifest)).toEqual(['images']);
    expect(Object.keys(manifest.images)).toEqual([...imagesOf('alpha'), ...imagesOf('beta')].map((f) => f.slice('out/'.length)).sort());
    for (const record of Object.values(manifest.images)) expect(record.key).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('PNG keys', () => {
  it('a PNG is keyed by how it got its palette; one with a palette, without, or from pngquant (protoflow 0.1) is current', () => {
    const job = {
      name: 'x.sequence.mmd',
      source: 'sequenceDiagram\n  A->>B: hi\n',
      engine: 'mermaid' as const,
      config: {},
      formats: ['png'] as const,
      theme: 'light' as const,
      origin: { file: 'specs/x.yaml', line: 1, column: 1 },
    };
    const drawing = { plantumlEngine: 'auto' as const, theme: 'light' as const, plantumlDrawer: 'java' as const, pngPalette: 'libimagequant' as const };
    const [fingerprint] = ENGINES.mermaid.fingerprints(drawing);
    const key = (pngPalette: string) => renderKey({ ...job, format: 'png', fingerprint: { ...fingerprint, pngPalette } });
    const keys = imageKeys(job, drawing).get('png')!;
    expect(keys.draw).toBe(key('libimagequant'));
    expect([...keys.current].sort()).toEqual(['libimagequant', 'pngquant', 'none'].map(key).sort());
    expect(imageKeys(job, { ...drawing, pngPalette: 'none' }).get('png')!.draw).toBe(key('none'));
  });
});
