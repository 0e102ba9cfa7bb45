import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../src/targets/engine.js';
import { splitLines } from '../src/targets/escape/lines.js';
import { mermaidSequence } from '../src/targets/mermaid-sequence.js';
import { plantumlSequence } from '../src/targets/plantuml-sequence.js';
import { flowShowing } from './support/flows.js';
import { parseMermaid } from './support/mermaid.js';
import { renderPlantUml, type PlantUmlResult } from './support/plantuml.js';

const ASCII_PUNCTUATION = [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'];
/** Pieces of hostile text: every ASCII punctuation mark, markup and directives of both languages, line breaks, non-Latin text. */
const HOSTILE = fc.constantFrom(
  ...ASCII_PUNCTUATION,
  'a', 'Z', '7', ' ', '  ',
  '\n', '\r\n', '\r', '\u2028', '\u2029',
  '😀', '🔒', 'שלום', 'مرحبا', 'é', 'e\u0301', '中文',
  '**', '//', '--', '""', '__', '~~', '[[http://x]]', '<img:x.png>', '<&lock-locked>', '%date()', '%upper("a")',
  '\n!include /etc/passwd', '\n@enduml', '\nend note', '<br>', '<br/>', '%%{init: {"theme":"dark"}}%%', '%% c',
  '#59;', '&lt;', '&#65;', '<U+0041>', '\\n', '\\', 'end', 'note', 'alt', 'else', 'participant', '->>', '-->', ': x',
);
const hostileText = fc
  .array(HOSTILE, { minLength: 1, maxLength: 12 })
  .map((parts) => parts.join(''))
  .filter((t) => t.trim().length > 0);

/** Whitespace is laid out, not drawn: renderers collapse and trim it, so the check compares what is drawn. */
const drawn = (text: string) => text.replace(/\s+/g, '');

const samples = fc.sample(hostileText, { numRuns: 150, seed: 20261122 });

describe('escaping: hostile text stays valid and visible', () => {
  let plantuml: PlantUmlResult[] = [];
  beforeAll(async () => {
    plantuml = await renderPlantUml(samples.map((text) => generate(plantumlSequence, flowShowing(text)).value!));
  });

  it('PlantUML parses and draws every sample with every line intact', () => {
    samples.forEach((text, i) => {
      const result = plantuml[i]!;
      expect(result.error, JSON.stringify(text)).toBeUndefined();
      const all = drawn(result.texts.join(''));
      for (const line of splitLines(text)) expect(all, JSON.stringify(text)).toContain(drawn(line));
    });
  });

  it('Mermaid parses every sample and reads the text back exactly', async () => {
    for (const text of samples) {
      const result = await parseMermaid(generate(mermaidSequence, flowShowing(text)).value!);
      expect(result.error, JSON.stringify(text)).toBeUndefined();
      const expected = drawn(splitLines(text).join('\n'));
      const seen = result.texts.map(drawn);
      // title, participant, phase note, message, field, note, action, alt label, else label
      expect(seen.filter((t) => t === expected).length, JSON.stringify(text)).toBeGreaterThanOrEqual(8);
    }
  });

  it('the hostile alphabet is exercised: random runs also pass', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, async (text) => {
        const result = await parseMermaid(generate(mermaidSequence, flowShowing(text)).value!);
        return result.ok;
      }),
      { numRuns: 200 },
    );
  });
});
