import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildReport } from '../src/project/build.js';
import { Project } from '../src/project/project.js';
import { PNG_SCALE, pngScale } from '../src/render/browser/rasterize.js';
import { PNG_BUDGET, renderImages } from '../src/render/render-images.js';
import { namedPath } from '../src/shared/host.js';
import { RenderSession } from '../src/render/session.js';
import { findPngPalette } from '../src/render/png-palette.js';
import { xmlProblem } from '../src/render/well-formed.js';
import type { FlowIR } from '../src/ir/types.js';
import { ENGINE_RUNS, PLANTUML_DRAWERS, renderPlantUml } from './support/plantuml.js';
import { flowShowing } from './support/flows.js';
import { plantumlActivity } from '../src/targets/plantuml-activity.js';
import { plantumlSequence } from '../src/targets/plantuml-sequence.js';
import { mermaidFlowchart } from '../src/targets/mermaid-flowchart.js';
import { readSourceFile } from '../src/source/source-file.js';
import { compileSpec } from '../src/compile/load-spec.js';
import { generate } from '../src/targets/generate.js';
import type { DRAWN_TARGETS } from '../src/targets/registry.js';
import { flowTexts, pngInfo, squeeze, svgTexts, svgViewBox } from './support/images.js';
import { FLOW_TITLE_COLUMNS, wrapLines } from '../src/views/flowchart.js';
import { withTitleLines } from '../src/render/mermaid/title-lines.js';
import { chunksChangedBy } from './support/mermaid-dist.js';
import { HOST } from './support/host.js';

const SPECS = readdirSync('specs').filter((f) => f.endsWith('.yaml'));

async function flowOf(spec: string) {
  const file = await readSourceFile(join('specs', spec));
  return compileSpec(file.value!, HOST.cwd).value!.flow;
}

describe.each(ENGINE_RUNS)(
  'every bundled spec drawn as SVG and PNG by the real renderers (PlantUML engine: $plantumlEngine)',
  ({ plantumlEngine, targets }) => {
    const outDir = mkdtempSync(join(tmpdir(), 'protoflow-render-'));
    let report: BuildReport;
    beforeAll(async () => {
      report = await build(new Project(HOST, { outDir, targets, formats: ['svg', 'png'], drawing: { plantumlEngine } }), { write: true });
    });

    it('draws every image without an error; only the PNGs over 1 MiB are warned of, once', () => {
      const heavy = readdirSync(outDir).filter((f) => f.endsWith('.png') && statSync(join(outDir, f)).size > PNG_BUDGET);
      expect(report.diagnostics.map((d) => `${d.code} ${d.message.split(',')[0]}`)).toEqual(
        heavy.length > 0 ? [`PF405 ${heavy.length} PNG(s) larger than 1.0 MiB`] : [],
      );
      const expected = SPECS.flatMap((s) => targets.flatMap((t) => ['svg', 'png'].map((f) => `${s.replace('.yaml', '')}${t.extension}.${f}`)));
      expect(
        readdirSync(outDir)
          .filter((f) => !f.startsWith('.'))
          .sort(),
      ).toEqual(expected.sort());
    });

    describe.each(SPECS)('%s', (spec) => {
      it.each(targets.map((t) => [t.name, t] as const))('%s: the SVG shows every text of the spec', async (_, target) => {
        const svg = readFileSync(join(outDir, `${spec.replace('.yaml', '')}${target.extension}.svg`), 'utf8');
        expect(xmlProblem(svg)).toBeUndefined();
        const drawn = squeeze(svgTexts(svg).join(''));
        const missing = flowTexts(await flowOf(spec)).filter((text) => !drawn.includes(squeeze(text)));
        expect(missing).toEqual([]);
      });

      it.each(targets.map((t) => [t.name, t] as const))('%s: the PNG is a PNG of the SVG drawn', (_, target) => {
        const name = `${spec.replace('.yaml', '')}${target.extension}`;
        const png = pngInfo(readFileSync(join(outDir, `${name}.png`)));
        const box = svgViewBox(readFileSync(join(outDir, `${name}.svg`), 'utf8'));
        expect(png).toBeDefined();
        expect(box).toBeDefined();
        // Both engines' PNGs are their SVGs drawn at PNG_SCALE (less for huge diagrams).
        const scale = pngScale(box!.width, box!.height);
        expect(png!.width).toBeGreaterThanOrEqual(Math.floor(box!.width * scale) - 2);
        expect(png!.width).toBeLessThanOrEqual(Math.ceil(box!.width * scale) + 2);
        expect(png!.height).toBeGreaterThanOrEqual(Math.floor(box!.height * scale) - 2);
        expect(png!.height).toBeLessThanOrEqual(Math.ceil(box!.height * scale) + 2);
        expect(scale).toBeLessThanOrEqual(PNG_SCALE);
      });
    });
  },
);

describe('the Mermaid flowchart', () => {
  it('draws the lanes of the TLS flows left to right in the order the participants are declared', async () => {
    const session = new RenderSession(120_000, { plantumlEngine: 'java' }, HOST);
    try {
      for (const spec of ['https-tls12.yaml', 'tls13.yaml']) {
        const drawn = (
          await session.draw(
            {
              name: spec,
              source: generate(mermaidFlowchart, await flowOf(spec)).value!,
              engine: 'mermaid',
              config: mermaidFlowchart.renderConfig,
              theme: 'light',
            },
            ['svg'],
          )
        ).get('svg');
        expect(drawn?.kind).toBe('image');
        const svg = drawn?.kind === 'image' ? Buffer.from(drawn.data).toString('utf8') : '';
        // Each lane's box, by its subgraph id (L1 is the first participant), and where it starts.
        const lanes = [...svg.matchAll(/<g class="cluster[^"]*" id="[^"]*-L(\d+)"[^>]*>\s*<rect[^>]*?x="([-\d.]+)"/g)].map((m) => ({
          lane: Number(m[1]),
          x: Number(m[2]),
        }));
        expect(lanes.length, spec).toBeGreaterThan(1);
        expect(
          lanes.sort((a, b) => a.x - b.x).map((l) => l.lane),
          spec,
        ).toEqual(lanes.map((l) => l.lane).sort((a, b) => a - b));
      }
    } finally {
      await session.close();
    }
  });
});

describe.each(ENGINE_RUNS)('the same diagram drawn again (PlantUML engine: $plantumlEngine)', ({ plantumlEngine, targets }) => {
  it('is the same SVG, whatever was drawn before it and in whichever worker', async () => {
    const session = new RenderSession(60_000, { plantumlEngine }, HOST);
    try {
      // https-browser has an actor (a stick figure, with numbered parts of its own) besides lifelines.
      const flow = await flowOf('https-browser.yaml');
      const other = await flowOf('https-tls12.yaml');
      const draw = async (target: (typeof DRAWN_TARGETS)[number], name: string, which = flow) => {
        const outcome = (
          await session.renderer(target.engine).render({ name, source: generate(target, which).value!, config: target.renderConfig, formats: ['svg'] })
        ).get('svg');
        expect(outcome?.kind).toBe('image');
        return outcome?.kind === 'image' ? Buffer.from(outcome.data).toString('utf8') : '';
      };
      for (const target of targets) {
        const first = await draw(target, 'again');
        // Other diagrams in between, on every worker: counters inside a renderer must not leak into the image.
        await Promise.all([1, 2, 3, 4].map((i) => draw(target, `between-${i}`, other)));
        expect(await draw(target, 'again'), target.name).toBe(first);
      }
    } finally {
      await session.close();
    }
  });
});

describe('PlantUML in the browser', () => {
  it('draws a diagram taller than 8,192 pixels, as the JVM does', async () => {
    const session = new RenderSession(120_000, { plantumlEngine: 'browser' }, HOST);
    try {
      const messages = Array.from({ length: 400 }, (_, i) => `a -> b : message ${i}`).join('\n');
      const outcome = (
        await session.renderer('plantuml').render({ name: 'tall', source: `@startuml\n${messages}\n@enduml\n`, config: {}, formats: ['svg'] })
      ).get('svg')!;
      expect(outcome.kind).toBe('image');
      const svg = outcome.kind === 'image' ? Buffer.from(outcome.data).toString('utf8') : '';
      expect(svgViewBox(svg)!.height).toBeGreaterThan(8192);
      expect(svgTexts(svg)).toContain('message 399');
    } finally {
      await session.close();
    }
  });
});

describe.each(PLANTUML_DRAWERS)('multi-line message titles in PlantUML (%s)', (engine) => {
  it('each line is drawn as written, bold or italic, with no markup left over', async () => {
    const lines = ['* first line', '// second //', '**third**', '- fourth'];
    const flow = flowShowing('plain');
    const steps = flow.phases[0]!.steps;
    for (const [i, abstract] of [false, true].entries()) {
      const step = steps[i]!;
      if (step.kind === 'message') Object.assign(step, { label: lines.join('\n'), abstract, fields: [] });
    }
    const results = await renderPlantUml(
      [plantumlSequence, plantumlActivity].map((target) => generate(target, flow).value!),
      engine,
    );
    for (const result of results) {
      expect(result.error).toBeUndefined();
      // The activity's nodes say "Send" and "Receive" before the title's first line.
      const marked = result.texts.map((text) => text.replace(/^(Send|Receive) /, '')).filter((text) => /[*/-]/.test(text));
      expect(new Set(marked)).toEqual(new Set(lines));
    }
  });
});

/** The flowchart of `flow` as Mermaid draws it in protoflow's renderer: the SVG's text. */
async function flowchartSvg(flow: FlowIR): Promise<string> {
  const session = new RenderSession(60_000, undefined, HOST);
  try {
    const source = generate(mermaidFlowchart, flow).value!;
    const outcome = (await session.renderer('mermaid').render({ name: 'flowchart', source, config: mermaidFlowchart.renderConfig, formats: ['svg'] })).get(
      'svg',
    )!;
    expect(outcome.kind).toBe('image');
    return outcome.kind === 'image' ? Buffer.from(outcome.data).toString('utf8') : '';
  } finally {
    await session.close();
  }
}

describe('a flowchart title', () => {
  it("with HTML-like text is drawn as written, not through Mermaid's sanitiser (issue 17)", async () => {
    const title = '<color:red> <script>alert(1)</script> <&icon> a<b & c>d <b>bold</b>';
    expect(svgTexts(await flowchartSvg({ ...flowShowing('plain'), title }))).toContain(title);
  });

  it('is drawn line by line by a change to exactly one file of the Mermaid the pages load, made once', () => {
    const changed = chunksChangedBy(withTitleLines);
    expect(changed).toHaveLength(1);
    const patched = withTitleLines(readFileSync(changed[0]!, 'utf8'));
    expect(patched).toContain('.split("\\n"))');
    expect(withTitleLines(patched)).toBe(patched);
  });

  it("keeps its lines (a scenario's title names every value), so that it does not widen the diagram", async () => {
    const title = `A protocol: ${Array.from({ length: 8 }, (_, i) => `Variable ${i} = Value number ${i}`).join(', ')}`;
    const svg = await flowchartSvg({ ...flowShowing('plain'), title });
    const drawn = /<text[^>]*class="flowchartTitleText"[^>]*>(.*?)<\/text>/.exec(svg)?.[1] ?? '';
    const lines = [...drawn.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) => m[1]!);
    expect(lines).toEqual(wrapLines(title, FLOW_TITLE_COLUMNS).split('\n'));
    expect(lines.length).toBeGreaterThan(2);
    // Each line goes on the one before it, and the last on the title's baseline: the title stays above the lanes.
    expect([...drawn.matchAll(/dy="([^"]+)"/g)].map((m) => m[1])).toEqual([
      `-${(1.2 * (lines.length - 1)).toFixed(1)}em`,
      ...lines.slice(1).map(() => '1.2em'),
    ]);
    expect(svgViewBox(svg)!.width).toBeLessThan(900);
  });
});

describe('an SVG that is not well-formed XML is found before it is written (issue 17)', () => {
  it.each([
    ['a raw control character', '<svg xmlns="http://www.w3.org/2000/svg"><text>a\u0003b</text></svg>', /disallowed character/],
    ['a tag cut in two', '<svg xmlns="http://www.w3.org/2000/svg"><text>a</te', /unclosed tag|unexpected end/i],
    ['an undefined entity', '<svg xmlns="http://www.w3.org/2000/svg"><text>&nbsp;</text></svg>', /undefined entity/],
  ])('%s', (_, svg, problem) => {
    expect(xmlProblem(svg)).toMatch(problem);
  });

  it('a well-formed one passes', () => {
    expect(xmlProblem('<svg xmlns="http://www.w3.org/2000/svg"><text>a &amp; b &#60; c</text></svg>')).toBeUndefined();
  });
});

describe('a Mermaid flowchart label wrapped across lines (issue 17)', () => {
  it('keeps every escaped character whole: a code Mermaid cut in two is decoded across the lines', async () => {
    const label = 'redirect_uri=https%3A%2F%2Fclient.example.com%2Fcallback%3Fa%3D1%26b%3D2&state=abc;def<ghi>#frag';
    const texts = svgTexts(await flowchartSvg(flowShowing(label))).map(squeeze);
    // The branch's edge label is wrapped by Mermaid; every place the label is drawn must show it whole.
    expect(texts.filter((text) => text.includes(squeeze(label))).length).toBeGreaterThanOrEqual(6);
    expect(texts.filter((text) => /&#\d|&#$|^\d+;/.test(text))).toEqual([]);
  });
});

describe.each(ENGINE_RUNS)('every SVG first, as build --watch draws (PlantUML engine: $plantumlEngine)', ({ plantumlEngine, targets }) => {
  it('writes every SVG before any PNG, and the same PNGs as drawing both at once', async () => {
    const build1 = async (svgFirst: boolean) => {
      const outDir = mkdtempSync(join(tmpdir(), 'protoflow-svg-first-'));
      const order: string[] = [];
      const project = new Project(HOST, { inputs: ['specs/tcp-handshake.yaml', 'specs/tcp-teardown.yaml'], outDir, targets, drawing: { plantumlEngine } });
      const report = await build(project, { write: true, svgFirst, onProgress: ({ file }) => order.push(file) });
      expect(report.diagnostics).toEqual([]);
      return { outDir, order };
    };
    const first = await build1(true);
    const lastSvg = Math.max(...first.order.map((file, i) => (file.endsWith('.svg') ? i : -1)));
    const firstPng = first.order.findIndex((file) => file.endsWith('.png'));
    expect(first.order.filter((file) => file.endsWith('.png'))).toHaveLength(targets.length * 2);
    expect(lastSvg).toBeLessThan(firstPng);
    const together = await build1(false);
    // PNGs left for later when a newer change waits: not written, not recorded, drawn by the next build.
    const later = new Project(HOST, {
      inputs: ['specs/tcp-handshake.yaml'],
      outDir: mkdtempSync(join(tmpdir(), 'protoflow-yield-')),
      targets,
      drawing: { plantumlEngine },
    });
    const yielded = await build(later, { write: true, svgFirst: true, yieldPngs: () => true });
    expect([yielded.diagnostics, yielded.written.filter((f) => f.endsWith('.png'))]).toEqual([[], []]);
    const next = await build(later, { write: true, svgFirst: true });
    expect(next.written.filter((f) => f.endsWith('.png'))).toHaveLength(targets.length);
    expect(next.written.filter((f) => f.endsWith('.svg'))).toEqual([]);
    for (const file of first.order.filter((f) => f.endsWith('.png'))) {
      expect(readFileSync(join(first.outDir, file)).equals(readFileSync(join(together.outDir, file))), file).toBe(true);
    }
  }, 120_000);
});

describe('PNGs with a palette (libimagequant in sharp)', () => {
  it('gives a drawn PNG a palette, in at most a third of the bytes, and leaves a PNG it cannot shrink as it is', async () => {
    const session = new RenderSession(60_000, undefined, HOST);
    try {
      expect(session.drawing.pngPalette).toBe('libimagequant');
      expect(await findPngPalette().describe()).toEqual({ by: expect.stringMatching(/^libimagequant \d+\.\d+\.\d+ in sharp \d+\.\d+\.\d+$/) });
      const flow = await flowOf('https-tls12.yaml');
      const drawn = (
        await session
          .renderer('mermaid')
          .render({ name: 'palette', source: generate(mermaidFlowchart, flow).value!, config: mermaidFlowchart.renderConfig, formats: ['png'] })
      ).get('png')!;
      expect(drawn.kind).toBe('image');
      const truecolour = (drawn as { data: Uint8Array }).data;
      const { png: shrunk, problem } = await session.shrinkPng(truecolour);
      expect(problem).toBeUndefined();
      // Byte 25 of a PNG is the colour type of its header: 6 is RGBA, 3 a palette.
      expect([truecolour[25], shrunk[25]]).toEqual([6, 3]);
      expect(shrunk.byteLength * 3).toBeLessThan(truecolour.byteLength);
      expect(pngInfo(shrunk)).toEqual(pngInfo(truecolour));
      const notPng = new TextEncoder().encode('not a PNG');
      expect(await session.shrinkPng(notPng)).toEqual({ png: notPng });
    } finally {
      await session.close();
    }
  });
});

describe('PNGs where sharp cannot load', () => {
  it('writes them as the browser draws them and says why once', async () => {
    const unloadable = findPngPalette(() =>
      Promise.reject(new Error('Could not load the "sharp" module using the linux-x64 runtime\nPossible solutions: ...')),
    );
    const session = new RenderSession(60_000, undefined, HOST, unloadable);
    const outDir = mkdtempSync(join(tmpdir(), 'protoflow-no-palette-'));
    const origin = { file: 'specs/x.yaml', line: 1, column: 1 };
    const jobs = ['one', 'two'].map((name) => ({
      name: `${name}.sequence.mmd`,
      source: `sequenceDiagram\n  A->>B: ${name}\n`,
      engine: 'mermaid' as const,
      config: {},
      formats: ['png'] as const,
      theme: 'light' as const,
      origin,
    }));
    try {
      const report = await renderImages(jobs, { outDir: namedPath(HOST, outDir), manifest: new Map(), session });
      expect(report.written.sort()).toEqual([`${outDir}/one.sequence.mmd.png`, `${outDir}/two.sequence.mmd.png`].map((f) => namedPath(HOST, f).name).sort());
      expect(report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.message}`)).toEqual([
        'warning PF406 sharp cannot load here (Could not load the "sharp" module using the linux-x64 runtime), so PNGs are written without a palette',
      ]);
      // Byte 25 of a PNG is the colour type of its header: 6 is RGBA, as Chromium draws it.
      expect(readFileSync(join(outDir, 'one.sequence.mmd.png'))[25]).toBe(6);
    } finally {
      await session.close();
    }
  });
});
