import type { Host } from '../../src/shared/host.js';

/** The test runner's own working folder (the repository) and environment, as the CLI would pass them. */
export const HOST: Host = { cwd: process.cwd(), env: process.env };
