import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const BIN = resolve('bin/protoflow.js');

/** Runs the compiled CLI (`npm test` compiles it first) as a user would, without colour. */
export function protoflow(args: readonly string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
