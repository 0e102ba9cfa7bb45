import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WHOLE_CHARACTERS_SOURCE, withWholeCharacterBreaks } from '../src/render/mermaid/whole-characters.js';
import { chunksChangedBy } from './support/mermaid-dist.js';

describe("Mermaid's breaking of long words, kept off entity codes and hyphen-free (issue 17)", () => {
  it('changes exactly one file of the Mermaid the pages load, once', () => {
    const changed = chunksChangedBy(withWholeCharacterBreaks);
    expect(changed).toHaveLength(1);
    const patched = withWholeCharacterBreaks(readFileSync(changed[0]!, 'utf8'));
    expect(patched).toContain(`.match(${WHOLE_CHARACTERS_SOURCE})??[]`);
    expect(withWholeCharacterBreaks(patched)).toBe(patched);
  });

  it('splits a word into characters and whole entity placeholders', () => {
    const units = new Function(`return ${WHOLE_CHARACTERS_SOURCE};`)() as RegExp;
    expect('a\uFB02\u00B0\u00B059\u00B6\u00DFb\uFB02\u00B0amp\u00B6\u00DF😀'.match(units)).toEqual([
      'a',
      '\uFB02\u00B0\u00B059\u00B6\u00DF',
      'b',
      '\uFB02\u00B0amp\u00B6\u00DF',
      '😀',
    ]);
  });
});
