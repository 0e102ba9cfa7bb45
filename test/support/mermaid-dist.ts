import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MERMAID_DIST, MERMAID_ENTRY } from '../../src/render/mermaid/assets.js';

/** Every `.mjs` file under `dir`, at any depth. */
export function modulesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? modulesUnder(join(dir, entry.name)) : entry.name.endsWith('.mjs') ? [join(dir, entry.name)] : [],
  );
}

/** The chunks of the Mermaid build the rendering pages load. */
export function servedMermaidChunks(): string[] {
  return modulesUnder(join(MERMAID_DIST, 'chunks', MERMAID_ENTRY.replace('.mjs', '')));
}

/** The served chunks that `transform` changes. */
export function chunksChangedBy(transform: (code: string) => string): string[] {
  return servedMermaidChunks().filter((file) => {
    const code = readFileSync(file, 'utf8');
    return transform(code) !== code;
  });
}
