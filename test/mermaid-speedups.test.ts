import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../src/render/browser/launch.js';
import { BrowserTab } from '../src/render/browser/tab.js';
import { MERMAID_DIST, MERMAID_ENTRY } from '../src/render/mermaid/assets.js';
import { drawMermaid, MERMAID_CHANGES, servedMermaid } from '../src/render/mermaid/draw.js';
import { withLinesMeasuredTogether } from '../src/render/mermaid/lines-measured-together.js';
import { SANITIZE_SOURCE, withPlainTextSanitizedQuickly } from '../src/render/mermaid/plain-text-sanitize.js';
import { readSourceFile } from '../src/source/source-file.js';
import { compileSpec } from '../src/compile/load-spec.js';
import { generate } from '../src/targets/generate.js';
import { mermaidFlowchart } from '../src/targets/mermaid-flowchart.js';
import { mermaidSequence } from '../src/targets/mermaid-sequence.js';
import type { Target } from '../src/targets/target.js';
import { chunksChangedBy } from './support/mermaid-dist.js';
import { HOST } from './support/host.js';
// DOMPurify needs a DOM: this sets up jsdom's.
import './support/mermaid.js';

const SPEEDUPS = [withLinesMeasuredTogether, withPlainTextSanitizedQuickly];

describe.each([
  ['each label measured in one layout', withLinesMeasuredTogether, 'protoflowLineWidths('],
  ["DOMPurify's plain-text shortcut taken first", withPlainTextSanitizedQuickly, 'protoflowSanitize('],
] as const)('Mermaid served with %s', (_, change, marker) => {
  it('changes exactly one file of the Mermaid the pages load, once', () => {
    const changed = chunksChangedBy(change);
    expect(changed).toHaveLength(1);
    const patched = change(readFileSync(changed[0]!, 'utf8'));
    expect(patched).toContain(marker);
    expect(change(patched)).toBe(patched);
  });
});

describe("DOMPurify's shortcut, taken before DOMPurify reads its settings", () => {
  type Purify = {
    sanitize(text: unknown, config?: Record<string, unknown>): unknown;
    setConfig(config: Record<string, unknown>): void;
    clearConfig(): void;
  };
  type Sanitize = (purify: Purify, text: unknown, config?: Record<string, unknown>) => unknown;
  const [sanitize, watchSettings] = new Function(`${SANITIZE_SOURCE}; return [protoflowSanitize, protoflowWatchSettings];`)() as [
    Sanitize,
    (purify: Purify) => void,
  ];

  it('returns what DOMPurify returns, for any text, the settings that turn its shortcut off, and settings fixed or cleared', async () => {
    const { default: createDOMPurify } = await import('dompurify');
    const purify = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]) as unknown as Purify;
    watchSettings(purify);
    const text = fc.oneof(fc.string(), fc.constantFrom('', ' ', '<', 'a<b', '<b>x</b>', '&lt;b&gt;', '{{x}}', '<img src=x onerror=alert(1)>', 'x<!-- c -->'));
    const settings = fc.constantFrom(
      undefined,
      {},
      { FORBID_TAGS: ['style'] },
      { RETURN_DOM: true },
      { RETURN_DOM_FRAGMENT: true },
      { WHOLE_DOCUMENT: true },
      { SAFE_FOR_TEMPLATES: true },
      { RETURN_TRUSTED_TYPE: true },
    );
    const step = fc.oneof(
      { weight: 8, arbitrary: fc.record({ text, settings }) },
      fc.record({ fix: settings.map((s) => s ?? {}) }),
      fc.constant({ clear: true as const }),
    );
    const shown = (value: unknown) => (typeof value === 'string' ? value : ((value as { outerHTML?: string }).outerHTML ?? String(value)));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), (steps) => {
        purify.clearConfig();
        for (const s of steps) {
          if ('clear' in s) purify.clearConfig();
          else if ('fix' in s) purify.setConfig(s.fix);
          else expect(shown(sanitize(purify, s.text, s.settings))).toBe(shown(purify.sanitize(s.text, s.settings)));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('Mermaid drawn with these changes', () => {
  let browser: Browser;
  let withThem: BrowserTab;
  let without: BrowserTab;
  beforeAll(async () => {
    const launched = await launchBrowser(HOST, 60_000);
    if ('problem' in launched) throw new Error(launched.problem.message);
    browser = launched.browser;
    [withThem, without] = await Promise.all([BrowserTab.open(browser), BrowserTab.open(browser)]);
    // A tab keeps the first way Mermaid was served to it.
    const others = MERMAID_CHANGES.filter((change) => !SPEEDUPS.includes(change));
    await without.loadModule('mermaid', MERMAID_DIST, MERMAID_ENTRY, { transform: (code) => servedMermaid(code, others) });
  });
  afterAll(() => browser?.close());

  const bundled = readdirSync('specs').filter((f) => f.endsWith('.yaml'));
  const drawnBoth = async (target: Target, source: string) => {
    const request = { name: 'same', source, config: target.renderConfig, formats: ['svg'] as const };
    return Promise.all([drawMermaid(withThem, request, 'same'), drawMermaid(without, request, 'same')]);
  };

  it.each(bundled)('draws %s byte for byte as Mermaid does without them', async (spec) => {
    const flow = compileSpec((await readSourceFile(join('specs', spec))).value!, HOST.cwd).value!.flow;
    for (const target of [mermaidFlowchart, mermaidSequence]) {
      const [faster, original] = await drawnBoth(target, generate(target, flow).value!);
      expect(faster.ok).toBe(true);
      expect(faster).toEqual(original);
    }
  });

  it('draws labels it must split, mark up or sanitise as Mermaid does without them', async () => {
    const flowchart = [
      'flowchart TD',
      '  a["A line much longer than the wrapping width of a node, split word by word by Mermaid"]',
      '  b["Averyveryveryveryveryveryveryveryverylongwordwithoutanyspacethatmustbecutintopieces"]',
      '  c["`**bold** and _italic_ and plain`"]',
      '  d["<b>tag</b> &lt; #lt;b#gt; #34;quoted#34;"]',
      '  e["two\n  lines"]',
      '  a -- "an edge label long enough to be wrapped onto more than one line" --> b',
      '  b -- "<i>x</i>" --> c',
      '  c --> d --> e',
    ].join('\n');
    const sequence = ['sequenceDiagram', '  A->>B: <b>tag</b> #lt;', '  Note over A,B: a note', '  B-->>A: plain'].join('\n');
    for (const [target, source] of [
      [mermaidFlowchart, flowchart],
      [mermaidSequence, sequence],
    ] as const) {
      const [faster, original] = await drawnBoth(target, source);
      expect(faster.ok).toBe(true);
      expect(faster).toEqual(original);
    }
  });
});
