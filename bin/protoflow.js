#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled TypeScript, dist/ (shipped in the package; in a
// checkout of the repository, `npm run compile` writes it).
let main;
try {
  ({ main } = await import('../dist/cli/main.js'));
} catch (cause) {
  if (cause?.code !== 'ERR_MODULE_NOT_FOUND' || !String(cause.message).includes('dist/cli/main.js')) throw cause;
  process.stderr.write('protoflow: dist/ is missing; in a checkout of protoflow, run "npm run compile" first\n');
  process.exit(2);
}
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
