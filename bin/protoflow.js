#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled TypeScript (npm ci runs `prepare`, which compiles it).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
