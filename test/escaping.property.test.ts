import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { parse as parseYamlText } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../src/targets/generate.js';
import { splitLines } from '../src/targets/escape/lines.js';
import { markdownCell } from '../src/targets/escape/markdown.js';
import { mermaidFlowchart } from '../src/targets/mermaid-flowchart.js';
import { mermaidSequence } from '../src/targets/mermaid-sequence.js';
import { plantumlActivity } from '../src/targets/plantuml-activity.js';
import { plantumlSequence } from '../src/targets/plantuml-sequence.js';
import type { Target } from '../src/targets/target.js';
import { flowShowing } from './support/flows.js';
import { parseMermaid } from './support/mermaid.js';
import { PLANTUML_DRAWERS } from './support/plantuml.js';
import { RenderSession } from '../src/render/session.js';
import { svgTexts } from './support/images.js';
import { HOST } from './support/host.js';
import { FLOW_TITLE_COLUMNS, flowchartView, wrapLines } from '../src/views/flowchart.js';

const ASCII_PUNCTUATION = [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'];
/** Pieces of hostile text: every ASCII punctuation mark, markup and directives of both languages, line breaks, non-Latin text. */
const HOSTILE = fc.constantFrom(
  ...ASCII_PUNCTUATION,
  'a',
  'Z',
  '7',
  ' ',
  '  ',
  '\n',
  '\r\n',
  '\r',
  '\u2028',
  '\u2029',
  '😀',
  '🔒',
  'שלום',
  'مرحبا',
  'é',
  'e\u0301',
  '中文',
  '–',
  '—',
  '→',
  '\u00a0',
  '**',
  '//',
  '--',
  '""',
  '__',
  '~~',
  '[[http://x]]',
  '<img:x.png>',
  '<&lock-locked>',
  '%date()',
  '%upper("a")',
  '\n!include /etc/passwd',
  '\n@enduml',
  '\nend note',
  '<br>',
  '<br/>',
  '%%{init: {"theme":"dark"}}%%',
  '%% c',
  '#59;',
  '&lt;',
  '&#65;',
  '<U+0041>',
  '\\n',
  '\\',
  'end',
  'note',
  'alt',
  'else',
  'participant',
  '->>',
  '-->',
  ': x',
  ');',
  ':x;',
  '|L1|',
  'endif',
  'fork',
  '}',
  '{',
  '-->|x|',
  '[/x/]',
  '((x))',
  '`md`',
  'subgraph',
  'click x call y()',
  'style x:#f00;',
  'classDef c fill:#f00;',
  '&#40;',
  '#quot;',
  '&amp;',
  '&#x41;',
  '%%',
  '\u200f',
  '\u202e',
);
const hostilePieces = fc.array(HOSTILE, { minLength: 1, maxLength: 12 }).map((parts) => parts.join(''));
/**
 * Long unbroken tokens (an encoded `redirect_uri`, a signed URL) made of what either language acts
 * on: renderers wrap them, and must neither cut an escape in two nor add a hyphen.
 */
const longToken = fc
  .array(fc.constantFrom(...'&;<>#%"`=/._-', 'a', 'Z', '7', '😀', 'ש', '&#65;', '&amp;', '-->'), { minLength: 40, maxLength: 90 })
  .map((parts) => parts.join(''));
const hostileText = fc
  .oneof(
    { arbitrary: hostilePieces, weight: 3 },
    { arbitrary: longToken, weight: 1 },
    { arbitrary: fc.tuple(hostilePieces, longToken).map(([words, token]) => `${words} ${token}`), weight: 1 },
  )
  .filter((t) => t.trim().length > 0);

/** Whitespace is laid out, not drawn: renderers collapse and trim it, so the check compares what is drawn. */
const drawn = (text: string) => text.replace(/\s+/g, '');

/** Texts a random run once found broken, kept so that they are checked on every run. */
const FOUND = [
  '<classDef c fill:#f00;=',
  'redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb%3Fa%3D1%26b%3D2&state=xyz;a<b>#1',
  'first\n  \nthird',
  '\nafter an empty line',
  'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb&#65;cccccccccccccccccccccccc&amp;',
];
const samples = [...FOUND, ...fc.sample(hostileText, { numRuns: 150, seed: 20261122 })];

/** Every target, drawn by each renderer protoflow has for it. */
const DRAWINGS = [
  ...[mermaidSequence, mermaidFlowchart].map((target) => ({ target, engine: 'browser' as const, drawer: 'Mermaid' })),
  ...[plantumlSequence, plantumlActivity].flatMap((target) => PLANTUML_DRAWERS.map((engine) => ({ target, engine, drawer: `PlantUML in ${engine}` }))),
];

/** A plain word: the number of times a diagram of it shows it is the number of places a label is drawn. */
const PLAIN = 'Plainword';

/**
 * Where flowShowing's text is drawn. Sequence diagrams: the title, the participant (at the top and
 * the bottom), phase note, message, field, note, action, the alt and else labels, loop and group.
 * Flowcharts and activity diagrams: their title, lane, phase, send and receive nodes, field, note,
 * action, both branches, loop and group.
 */
const DRAWN_PLACES: Record<string, number> = { 'mermaid-sequence': 12, 'plantuml-sequence': 12, 'mermaid-flowchart': 12, 'plantuml-activity': 14 };

/** The lines a target shows of a text: the flowchart view wraps long lines between words. */
const shownLines = (target: Target, text: string) => splitLines(text).flatMap((line) => (target.view === flowchartView ? splitLines(wrapLines(line)) : [line]));

/** How many times `part` occurs in `whole`, without overlaps. */
const occurrences = (whole: string, part: string) => whole.split(part).length - 1;

describe.each(DRAWINGS)('escaping for $target.name drawn by $drawer: every label of hostile text is in the SVG', ({ target, engine }) => {
  const svgs: string[] = [];
  beforeAll(async () => {
    const session = new RenderSession(120_000, { plantumlEngine: engine }, HOST);
    const renderer = session.renderer(target.engine);
    try {
      const texts = [PLAIN, ...samples];
      const outcomes = await Promise.all(
        texts.map((text, i) =>
          renderer.render({ name: `sample-${i}`, source: generate(target, flowShowing(text)).value!, config: target.renderConfig, formats: ['svg'] }),
        ),
      );
      outcomes.forEach((outcome, i) => {
        const svg = outcome.get('svg')!;
        if (svg.kind !== 'image') throw new Error(`${JSON.stringify(texts[i])} was not drawn: ${JSON.stringify(svg)}`);
        svgs.push(Buffer.from(svg.data).toString('utf8'));
      });
    } finally {
      await session.close();
    }
  });

  it('each SVG is well-formed XML whose text shows every line of the label as often as a plain word is shown', () => {
    const [plain, ...drawnSamples] = svgs.map((svg) => drawn(svgTexts(svg).join('')));
    const places = occurrences(plain!, PLAIN);
    expect(places).toBe(DRAWN_PLACES[target.name]);
    samples.forEach((text, i) => {
      for (const line of shownLines(target, text).map(drawn).filter(Boolean)) {
        expect(occurrences(drawnSamples[i]!, line), `${JSON.stringify(line)} of ${JSON.stringify(text)}`).toBeGreaterThanOrEqual(places);
      }
    });
  });
});

/**
 * Places the flow shows the text in, as Mermaid's parser reports them. Sequence: participant,
 * phase note, message, field, note, action, alt label, else label (the title counts too).
 * Flowchart: lane and phase subgraphs, send and receive nodes, the field, note, action and both
 * branch edges (the title lives in the front matter, checked separately).
 */
const MINIMUM_PLACES: Record<string, number> = { 'mermaid-sequence': 9, 'mermaid-flowchart': 9 };

describe.each([mermaidSequence, mermaidFlowchart])('escaping for $name: hostile text stays valid and visible', (target: Target) => {
  it('Mermaid parses every sample and reads the text back exactly', async () => {
    for (const text of samples) {
      const source = generate(target, flowShowing(text)).value!;
      const result = await parseMermaid(source);
      expect(result.error, JSON.stringify(text)).toBeUndefined();
      const expected = drawn(splitLines(text).join('\n'));
      const places = result.texts.map(drawn).filter((t) => t.includes(expected)).length;
      expect(places, JSON.stringify(text)).toBeGreaterThanOrEqual(MINIMUM_PLACES[target.name]!);
      const frontMatter = /^---\n([\s\S]*?)\n---\n/.exec(source);
      if (frontMatter) expect((parseYamlText(frontMatter[1]!) as { title: string }).title).toBe(wrapLines(text, FLOW_TITLE_COLUMNS));
    }
  });

  it('random hostile texts also parse', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, async (text) => (await parseMermaid(generate(target, flowShowing(text)).value!)).ok),
      { numRuns: 150 },
    );
  });
});

describe('escaping for the Markdown presence matrix: a cell shows exactly the text', () => {
  // CommonMark with GitHub's tables; `html` on because a cell's line breaks are `<br>` tags.
  const markdown = new MarkdownIt({ html: true });
  const decode = (html: string) => html.replace(/&(lt|gt|quot|amp);/g, (_m, name: string) => ({ lt: '<', gt: '>', quot: '"', amp: '&' })[name]!);

  it('keeps the table to one row of two cells and shows every line of the text as written', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const html = markdown.render(`| Step | End |\n|---|---|\n| ${markdownCell(text)} | end |\n`);
        const cells = [...html.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]!);
        expect(cells).toHaveLength(2);
        expect(cells[1]).toBe('end');
        const shown = cells[0]!.split('<br>').map(decode);
        expect(shown.map(drawn)).toEqual(splitLines(text).map(drawn));
      }),
      { numRuns: 400 },
    );
  });

  it("escapes GitHub's own inline syntax too: math, emoji, mentions and issue references", () => {
    expect(markdownCell('$x$ :+1: @alice #12')).toBe('\\$x\\$ \\:+1\\: \\@alice \\#12');
  });
});
