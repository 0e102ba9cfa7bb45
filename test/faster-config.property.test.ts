import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MERMAID_DIST } from '../src/render/mermaid/assets.js';
import { chunksChangedBy, modulesUnder } from './support/mermaid-dist.js';
import { COPY_CONFIG_SOURCE, withFasterGetConfig } from '../src/render/mermaid/faster-config.js';
// Mermaid's modules need a DOM to load: this sets up jsdom's.
import './support/mermaid.js';

type Copy = (config: unknown) => unknown;
const copyConfig = new Function(`${COPY_CONFIG_SOURCE}; return protoflowCopyConfig;`)() as Copy;

/** Mermaid's own assignWithDepth and default configuration, from its readable (unminified) build. */
async function mermaidOriginals(): Promise<{ assignWithDepth: (target: object, source: unknown) => unknown; defaultConfig: object }> {
  const chunk = modulesUnder(join(MERMAID_DIST, 'chunks', 'mermaid.core')).find((file) =>
    readFileSync(file, 'utf8').includes('var assignWithDepth_default = assignWithDepth;'),
  );
  if (!chunk) throw new Error('no chunk of mermaid.core defines assignWithDepth');
  const exports = Object.values((await import(pathToFileURL(chunk).href)) as Record<string, unknown>);
  const assignWithDepth = exports.find((value) => typeof value === 'function' && value.name === 'assignWithDepth');
  const defaultConfig = exports.find((value) => typeof value === 'object' && value !== null && 'flowchart' in value && 'themeVariables' in value);
  if (typeof assignWithDepth !== 'function' || typeof defaultConfig !== 'object' || defaultConfig === null)
    throw new Error('assignWithDepth or defaultConfig not found');
  return { assignWithDepth: assignWithDepth as (target: object, source: unknown) => unknown, defaultConfig };
}

/** The paths at which a copy holds the very object the source holds, instead of a copy of it. */
function sharedPaths(copy: unknown, source: unknown, path = ''): string[] {
  if (typeof copy !== 'object' || copy === null || typeof source !== 'object' || source === null) return [];
  if (copy === source) return [path];
  return Object.keys(copy).flatMap((key) => sharedPaths((copy as Record<string, unknown>)[key], (source as Record<string, unknown>)[key], `${path}/${key}`));
}

describe("Mermaid's getConfig, copied by plain assignment", () => {
  it('replaces getConfig in exactly one file of the Mermaid the pages load', () => {
    const changed = chunksChangedBy(withFasterGetConfig);
    expect(changed).toHaveLength(1);
    const patched = withFasterGetConfig(readFileSync(changed[0]!, 'utf8'));
    expect(patched).toMatch(/=[\w$]+\(\(\)=>protoflowCopyConfig\([\w$]+\),"getConfig"\)/);
    // Served twice through the same transform, a file is patched once.
    expect(withFasterGetConfig(patched)).toBe(patched);
  });

  it("copies Mermaid's default configuration exactly as assignWithDepth does", async () => {
    const { assignWithDepth, defaultConfig } = await mermaidOriginals();
    expect(isDeepStrictEqual(copyConfig(defaultConfig), assignWithDepth({}, defaultConfig))).toBe(true);
  });

  it('copies any configuration exactly as assignWithDepth does, sharing nothing it would not share', async () => {
    const { assignWithDepth } = await mermaidOriginals();
    const key = fc.constantFrom('a', 'b', 'flowchart', 'themeVariables', '__proto__', 'constructor', 'toString', '0', 'length');
    const leaf = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, leaf, fc.array(fc.oneof(leaf, tie('tree')), { maxLength: 4 }), fc.dictionary(key, tie('tree'), { maxKeys: 5 })),
    }));
    const config = fc.dictionary(key, tree, { maxKeys: 6 });
    fc.assert(
      fc.property(config, (source) => {
        const ours = copyConfig(source);
        const theirs = assignWithDepth({}, source);
        // Node's comparison, not toStrictEqual, which takes an own `constructor` key for the object's class.
        expect(isDeepStrictEqual(ours, theirs), JSON.stringify([ours, theirs])).toBe(true);
        expect(Object.keys(ours as object)).toEqual(Object.keys(theirs as object));
        expect(sharedPaths(ours, source)).toEqual(sharedPaths(theirs, source));
      }),
      { numRuns: 500 },
    );
  });
});
