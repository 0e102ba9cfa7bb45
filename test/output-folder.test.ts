import { spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { protoflow } from './support/cli.js';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'protoflow-out-'));
  cpSync('specs', join(dir, 'specs'), { recursive: true });
  return dir;
}

/** Runs the CLI without waiting for it, as a second terminal would. */
function started(args: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [resolve('bin/protoflow.js'), ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code, stderr })));
}

describe('the output folder (issue 17)', () => {
  it('two builds into one folder at once take turns: every image is recorded', async () => {
    const dir = project();
    const common = ['--out', 'out', '--targets', 'mermaid-sequence,plantuml-sequence', '--formats', 'source,svg'];
    const runs = await Promise.all([
      started(['build', 'specs/tcp-handshake.yaml', ...common], dir),
      started(['build', 'specs/tcp-teardown.yaml', ...common], dir),
    ]);
    expect(runs.map((r) => [r.code, r.stderr])).toEqual([
      [0, ''],
      [0, ''],
    ]);
    const manifest = JSON.parse(readFileSync(join(dir, 'out', '.protoflow-images.json'), 'utf8')) as { images: Record<string, unknown> };
    const images = readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.svg'));
    expect(Object.keys(manifest.images).sort()).toEqual(images.sort());
    expect(images.some((f) => f.startsWith('tcp-handshake')) && images.some((f) => f.startsWith('tcp-teardown'))).toBe(true);
    expect(existsSync(join(dir, 'out', '.protoflow-lock'))).toBe(false);
    expect((await protoflow(['check', 'specs/tcp-handshake.yaml', 'specs/tcp-teardown.yaml', ...common.slice(2)], dir)).code).toBe(0);
  });

  it('a lock or temporary files left by a killed build are taken over, removed, and never orphans', async () => {
    const dir = project();
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', '.protoflow-lock'), '999999999\n');
    writeFileSync(join(dir, 'out', '.protoflow-tmp-999999999-abcd'), 'half a file');
    const args = ['specs/tcp-handshake.yaml', '--formats', 'source'];
    expect((await protoflow(['check', ...args], dir)).stdout).not.toContain('orphaned: ');
    const built = await protoflow(['build', ...args], dir);
    expect([built.code, built.stderr]).toEqual([0, '']);
    expect(readdirSync(join(dir, 'out')).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('a file behind a symbolic link is written through it, and a file keeps its permissions', async () => {
    const dir = project();
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs', 'real.md'), '<!-- protoflow: ../specs/tcp-handshake.yaml -->\n<!-- /protoflow -->\n');
    symlinkSync('real.md', join(dir, 'docs', 'linked.md'));
    writeFileSync(join(dir, 'docs', 'private.md'), '<!-- protoflow: ../specs/tcp-teardown.yaml -->\n<!-- /protoflow -->\n');
    chmodSync(join(dir, 'docs', 'private.md'), 0o600);
    const run = await protoflow(['docs', 'docs/linked.md', 'docs/private.md'], dir);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(lstatSync(join(dir, 'docs', 'linked.md')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'docs', 'linked.md'))).toBe('real.md');
    expect(readFileSync(join(dir, 'docs', 'real.md'), 'utf8')).toContain('sequenceDiagram');
    expect(statSync(join(dir, 'docs', 'private.md')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'docs', 'private.md'), 'utf8')).toContain('sequenceDiagram');
  });

  it('a spec name of 225 characters builds; an output folder under /proc fails at once', async () => {
    const dir = project();
    const name = `${'x'.repeat(225 - '.yaml'.length)}.yaml`;
    cpSync(join(dir, 'specs', 'tcp-handshake.yaml'), join(dir, name));
    const built = await protoflow(['build', name, '--formats', 'source', '--targets', 'mermaid-sequence'], dir);
    expect([built.code, built.stderr]).toEqual([0, '']);
    const proc = await protoflow(['build', 'specs/tcp-handshake.yaml', '--formats', 'source', '--out', '/proc/self/x'], dir);
    expect(proc.code).toBe(1);
    expect(proc.stderr).toContain('error PF003');
  });

  it("stamps live in the user's own cache folder, never in a folder another user could prepare", async () => {
    const dir = project();
    const cache = mkdtempSync(join(tmpdir(), 'protoflow-xdg-'));
    const env = { XDG_CACHE_HOME: cache };
    expect((await protoflow(['build', 'specs/tcp-handshake.yaml', '--formats', 'source'], dir, env)).code).toBe(0);
    const folder = join(cache, 'protoflow');
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(readdirSync(folder).some((f) => /^stamps-[0-9a-f]{16}\.json$/.test(f))).toBe(true);

    // A cache folder that is a link (to a place someone else controls) is not used; the build still works.
    const elsewhere = mkdtempSync(join(tmpdir(), 'protoflow-planted-'));
    const linked = mkdtempSync(join(tmpdir(), 'protoflow-xdg-'));
    symlinkSync(elsewhere, join(linked, 'protoflow'));
    const run = await protoflow(['build', 'specs/tcp-teardown.yaml', '--formats', 'source'], dir, { XDG_CACHE_HOME: linked });
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});
