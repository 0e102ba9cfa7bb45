import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { descendants, running } from './support/processes.js';

describe('the renderers die with protoflow', () => {
  it('a build killed with SIGKILL leaves no browser and no JVM running', async () => {
    const out = mkdtempSync(join(tmpdir(), 'protoflow-kill-'));
    const build = spawn(process.execPath, [resolve('bin/protoflow.js'), 'build', 'specs', '--out', out, '--force'], { stdio: 'ignore' });
    // Wait until both renderers are up, then kill protoflow itself, which can clean nothing up.
    let seen: { pid: number; command: string }[] = [];
    for (let i = 0; i < 600 && !(seen.some((p) => /chrom/i.test(p.command)) && seen.some((p) => /java/.test(p.command))); i++) {
      await sleep(50);
      seen = [...seen, ...descendants(build.pid!).filter((p) => !seen.some((s) => s.pid === p.pid))];
    }
    expect(
      seen.some((p) => /chrom/i.test(p.command)),
      'a browser started',
    ).toBe(true);
    expect(
      seen.some((p) => /java/.test(p.command)),
      'a JVM started',
    ).toBe(true);
    build.kill('SIGKILL');
    let left = seen;
    for (let i = 0; i < 100 && left.length > 0; i++) {
      await sleep(100);
      left = left.filter((p) => running(p.pid));
    }
    expect(left.map((p) => p.command.slice(0, 80))).toEqual([]);
  });

  it('SIGTERM stops a build at once, and its renderers with it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'protoflow-term-'));
    const build = spawn(process.execPath, [resolve('bin/protoflow.js'), 'build', 'specs', '--out', out, '--force'], { stdio: 'ignore' });
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => build.on('exit', (code, signal) => done({ code, signal })));
    let seen: { pid: number; command: string }[] = [];
    for (let i = 0; i < 600 && !seen.some((p) => /chrom/i.test(p.command)); i++) {
      await sleep(50);
      seen = [...seen, ...descendants(build.pid!).filter((p) => !seen.some((s) => s.pid === p.pid))];
    }
    expect(
      seen.some((p) => /chrom/i.test(p.command)),
      'a browser started',
    ).toBe(true);
    const sent = Date.now();
    build.kill('SIGTERM');
    const exit = await ended;
    expect(Date.now() - sent).toBeLessThan(5_000);
    expect(exit.signal ?? exit.code).toBe('SIGTERM');
    let left = seen;
    for (let i = 0; i < 100 && left.length > 0; i++) {
      await sleep(100);
      left = left.filter((p) => running(p.pid));
    }
    expect(left.map((p) => p.command.slice(0, 80))).toEqual([]);
  });
});
