import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const BIN = resolve('bin/protoflow.js');

/**
 * Runs the compiled CLI (`npm test` compiles it first) as a user would, without colour; killed
 * after `timeoutMs` when given (a command that hangs then fails its test instead of the suite).
 */
export function protoflow(args: readonly string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = {}, timeoutMs?: number) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    ...(timeoutMs ? { timeout: timeoutMs, killSignal: 'SIGKILL' as const } : {}),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
