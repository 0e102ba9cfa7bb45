import { join } from 'node:path';
import { packageDir, packageVersion } from '../packages.js';

/** Mermaid's browser bundles: an ES module that loads each diagram type's chunk on demand. */
export const MERMAID_DIST = join(packageDir('mermaid'), 'dist');
export const MERMAID_ENTRY = 'mermaid.esm.min.mjs';

/** The versions that decide what a Mermaid image looks like, read without starting anything. */
export function mermaidVersions(): Record<string, string> {
  return { mermaid: packageVersion('mermaid'), puppeteer: packageVersion('puppeteer-core') };
}
