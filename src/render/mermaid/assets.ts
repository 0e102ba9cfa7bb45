import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const mermaidCliEntry = fileURLToPath(import.meta.resolve('@mermaid-js/mermaid-cli'));
// Mermaid as mermaid-cli depends on it, so the two always draw alike.
const fromMermaidCli = createRequire(mermaidCliEntry);
const require = createRequire(import.meta.url);

/** Mermaid's browser bundles: an ES module that loads each diagram type's chunk on demand. */
export const MERMAID_DIST = join(dirname(fromMermaidCli.resolve('mermaid/package.json')), 'dist');
export const MERMAID_ENTRY = 'mermaid.esm.min.mjs';

function versionOf(manifest: string): string {
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

let versions: Record<string, string> | undefined;

/** The versions that decide what a Mermaid image looks like, read once without starting anything. */
export function mermaidVersions(): Record<string, string> {
  return (versions ??= {
    mermaid: versionOf(fromMermaidCli.resolve('mermaid/package.json')),
    // mermaid-cli does not export its package.json; it sits one folder above its entry point.
    mermaidCli: versionOf(join(dirname(mermaidCliEntry), '..', 'package.json')),
    puppeteer: versionOf(require.resolve('puppeteer/package.json')),
  });
}
