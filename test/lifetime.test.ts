import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { descendants, running } from './support/processes.js';

type Process = { pid: number; command: string };

/** Every process that has run below `pid`, watched until `enough` says so (or 30 s). */
async function watchDescendants(pid: number, enough: (seen: readonly Process[]) => boolean): Promise<Process[]> {
  let seen: Process[] = [];
  for (let i = 0; i < 600 && !enough(seen); i++) {
    await sleep(50);
    seen = [...seen, ...descendants(pid).filter((p) => !seen.some((s) => s.pid === p.pid))];
  }
  return seen;
}

/** Those of `processes` still running after up to 10 s, by their command lines. */
async function stillRunning(processes: readonly Process[]): Promise<string[]> {
  let left = processes;
  for (let i = 0; i < 100 && left.length > 0; i++) {
    await sleep(100);
    left = left.filter((p) => running(p.pid));
  }
  return left.map((p) => p.command.slice(0, 80));
}

const isBrowser = (p: Process) => /chrom/i.test(p.command);
const isJvm = (p: Process) => /java/.test(p.command);

describe('the renderers die with protoflow', () => {
  it('a build killed with SIGKILL leaves no browser and no JVM running', async () => {
    const out = mkdtempSync(join(tmpdir(), 'protoflow-kill-'));
    const build = spawn(process.execPath, [resolve('bin/protoflow.js'), 'build', 'specs', '--out', out, '--force'], { stdio: 'ignore' });
    // Wait until both renderers are up, then kill protoflow itself, which can clean nothing up.
    const seen = await watchDescendants(build.pid!, (seen) => seen.some(isBrowser) && seen.some(isJvm));
    expect(seen.some(isBrowser), 'a browser started').toBe(true);
    expect(seen.some(isJvm), 'a JVM started').toBe(true);
    build.kill('SIGKILL');
    expect(await stillRunning(seen)).toEqual([]);
  });

  it('SIGTERM stops a build at once, and its renderers with it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'protoflow-term-'));
    const build = spawn(process.execPath, [resolve('bin/protoflow.js'), 'build', 'specs', '--out', out, '--force'], { stdio: 'ignore' });
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => build.on('exit', (code, signal) => done({ code, signal })));
    const seen = await watchDescendants(build.pid!, (seen) => seen.some(isBrowser));
    expect(seen.some(isBrowser), 'a browser started').toBe(true);
    const sent = Date.now();
    build.kill('SIGTERM');
    const exit = await ended;
    expect(Date.now() - sent).toBeLessThan(5_000);
    expect(exit.signal ?? exit.code).toBe('SIGTERM');
    expect(await stillRunning(seen)).toEqual([]);
  });
});

describe('protoflow preview stops cleanly', () => {
  it('SIGTERM and Ctrl-C stop the server, and its browser and JVM with it', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const preview = spawn(process.execPath, [resolve('bin/protoflow.js'), 'preview', 'specs', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const ended = new Promise<number | null>((done) => preview.on('exit', (code) => done(code)));
      let printed = '';
      preview.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
      preview.stderr.on('data', (chunk: Buffer) => (printed += chunk.toString()));
      for (let i = 0; i < 600 && !printed.includes('\n'); i++) await sleep(50);
      const url = printed.split('\n')[0]!;
      expect(url, printed).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      // A Mermaid and a PlantUML diagram asked for: both renderers are running once they are served.
      for (const name of ['tcp-handshake.sequence.mmd.svg', 'tcp-handshake.sequence.puml.svg']) {
        expect((await fetch(new URL(`out/${name}`, url))).status, name).toBe(200);
      }
      const seen = descendants(preview.pid!);
      expect([seen.some(isBrowser), seen.some(isJvm)], printed).toEqual([true, true]);
      preview.kill(signal);
      expect(await ended, printed).toBe(0);
      expect(await stillRunning(seen)).toEqual([]);
    }
  }, 120_000);
});
