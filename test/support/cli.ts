import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';

const BIN = resolve('bin/protoflow.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A stream that collects what is written to it. */
function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/**
 * Runs the CLI in this process, as `bin/protoflow.js` does, in the folder `cwd` with the test's
 * environment plus `env`, without colour: what it prints and its exit code.
 */
export async function protoflow(args: readonly string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const stdout = collector();
  const stderr = collector();
  const code = await main(args, { stdout: stdout.stream, stderr: stderr.stream, cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/**
 * Runs the compiled CLI (`npm test` compiles it first) as a user would, in its own process; killed
 * after `timeoutMs` when given (a command that hangs then fails its test instead of the suite).
 */
export function protoflowBinary(args: readonly string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = {}, timeoutMs?: number): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    ...(timeoutMs ? { timeout: timeoutMs, killSignal: 'SIGKILL' as const } : {}),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
