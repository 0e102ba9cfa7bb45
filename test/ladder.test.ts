import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { compileSpec } from '../src/compile/load-spec.js';
import type { FlowIR } from '../src/ir/types.js';
import { declaredScenarios } from '../src/scenarios/declared.js';
import { projectFlow } from '../src/scenarios/projection.js';
import { generate } from '../src/targets/generate.js';
import { textSequence } from '../src/targets/text-sequence.js';
import { textSequenceUnicode } from '../src/targets/text-sequence-unicode.js';
import { label } from './support/arbitraries.js';
import { flowShowing } from './support/flows.js';
import { HOST } from './support/host.js';

const LADDERS = [textSequence, textSequenceUnicode];
const specs = ['specs', 'test/fixtures/valid'].flatMap((folder) =>
  readdirSync(folder)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(folder, f)),
);

/** A spec's full flow and every scenario it declares. */
function drawings(spec: string): FlowIR[] {
  const flow = compileSpec({ name: spec, text: readFileSync(spec, 'utf8') }, HOST.cwd).value!.flow;
  return [flow, ...declaredScenarios(flow).map(({ scenario }) => projectFlow(flow, scenario))];
}

const widest = (text: string) => Math.max(...text.split('\n').map((line) => stringWidth(line)));
const NOT_ASCII = /[^\x20-\x7e\n]/;

describe('text ladders', () => {
  it.each(specs)('%s: every ladder, full and per scenario, fits 72 columns; the ASCII one is pure ASCII', (spec) => {
    for (const flow of drawings(spec)) {
      for (const target of LADDERS) expect(widest(generate(target, flow).value!), `${flow.title} (${target.name})`).toBeLessThanOrEqual(72);
      expect(generate(textSequence, flow).value!).not.toMatch(NOT_ASCII);
    }
  });

  it('the HTTPS overview says what seed 000 says, in its order', () => {
    const ladder = generate(textSequence, drawings('specs/https-overview.yaml')[0]!).value!;
    const said = [
      'SYN',
      'Client Hello',
      'Server Hello',
      'Certificate',
      'Server Hello Done',
      'Client Key Exchange',
      'Change Cipher Spec',
      'Finished',
      'HTTP Request',
      'HTTP Response',
      'Alert',
    ];
    const at = said.map((text) => ladder.indexOf(text));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('draws arrows both ways, activation bars, and every word of a message', () => {
    const ladder = generate(textSequence, drawings('test/fixtures/valid/activations.yaml')[0]!).value!;
    // The authorization server is busy (#) from the request to its answers.
    expect(ladder).toMatch(/#-+>\|/);
    expect(ladder).toMatch(/\|<\.+#/);
    expect(ladder).toContain('400 authorization_pending');
  });

  it('any text, however long or wide, stays inside 72 columns, and ASCII in the ASCII ladder', () => {
    const text = fc.oneof(
      label,
      fc.string({ minLength: 60, maxLength: 200, unit: 'grapheme' }).filter((s) => /\S/.test(s) && !/[\x00-\x09\x0b-\x1f\x7f]/.test(s)),
    );
    fc.assert(
      fc.property(text, (t) => {
        const flow = flowShowing(t);
        for (const target of LADDERS) expect(widest(generate(target, flow).value!)).toBeLessThanOrEqual(72);
        expect(generate(textSequence, flow).value!).not.toMatch(NOT_ASCII);
      }),
      { numRuns: 200, seed: 20261207 },
    );
  });
});
