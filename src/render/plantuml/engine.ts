import { rasterize, RASTER_FINGERPRINT } from '../browser/rasterize.js';
import type { BrowserTab } from '../browser/tab.js';
import type {
  DrawingChoices,
  Engine,
  Fingerprint,
  ImageFormat,
  PlantUmlDrawer,
  Renderer,
  RendererSettings,
  RenderOutcome,
  RenderRequest,
} from '../renderer.js';
import type { Host } from '../../shared/host.js';
import { findJava } from './find-java.js';
import { drawPlantUmlInBrowser, plantUmlCoreVersion } from './in-browser.js';
import { plantUmlJar } from './jar.js';
import { PLANTUML_LIMIT_SIZE, PlantUmlPipe } from './pipe.js';

/** Bump when a change to the drawing code here changes the images, so that they are drawn again. */
const REVISION = 3;

/** The way PlantUML is drawn with these choices: `auto` is Java when there is one, else the browser. */
export function plantUmlDrawer(drawing: DrawingChoices, env: Host['env']): PlantUmlDrawer {
  if (drawing.plantumlEngine !== 'auto') return drawing.plantumlEngine;
  return 'path' in findJava(env) ? 'java' : 'browser';
}

/**
 * PlantUML measures text in Java's SansSerif font, which fontconfig resolves to DejaVu Sans on
 * Debian, then writes `font-family="sans-serif"` and stretches each text to the measured width.
 * Chromium's sans-serif is Liberation Sans, narrower: named in the SVG the PNG is drawn from, the
 * font the layout was made for shows instead of letter-spaced text. (The JavaScript engine measures
 * in Chromium's own sans-serif, so its SVGs are drawn as they are.)
 */
const MEASURED_FONT = 'DejaVu Sans';

const FINGERPRINTS: Record<PlantUmlDrawer, () => Fingerprint> = {
  java: () => {
    const jar = plantUmlJar();
    return {
      drawer: 'java',
      plantuml: 'version' in jar ? jar.version : 'missing',
      limitSize: PLANTUML_LIMIT_SIZE,
      security: 'SANDBOX',
      graphviz: 'none',
      pngFont: MEASURED_FONT,
    };
  },
  browser: () => ({ drawer: 'browser', plantuml: plantUmlCoreVersion() }),
};

/**
 * PlantUML from the jar in node_modules in one warm JVM for every diagram, or, without Java, from
 * @plantuml/core in the build's Chromium. Either draws the SVG only; the PNG is that SVG drawn in
 * the build's Chromium at 2×, three times cheaper than PlantUML's own PNG (whose colour
 * quantisation and row filtering cost more than the layout) and as sharp as the Mermaid ones.
 */
export const plantumlEngine: Engine = {
  name: 'plantuml',
  label: 'PlantUML',
  fingerprints(drawing) {
    const now = drawing.plantumlDrawer;
    // Chosen automatically, an image either way is current: a checkout drawn with Java stays
    // current on a machine without it, and the other way round.
    const drawers: PlantUmlDrawer[] = drawing.plantumlEngine === 'auto' ? [now, now === 'java' ? 'browser' : 'java'] : [now];
    return drawers.map((drawer) => ({ ...FINGERPRINTS[drawer](), revision: REVISION, ...RASTER_FINGERPRINT }));
  },
  start({ timeoutMs, browser, drawing, host }: RendererSettings): Renderer {
    const drawer = drawing.plantumlDrawer;
    /** One JVM per palette, each started when first needed: dark mode is a switch of the whole JVM. */
    const pipes = new Map<boolean, PlantUmlPipe | { problem: string }>();
    let closed = false;
    const open = (dark: boolean) => {
      const jar = plantUmlJar();
      if ('problem' in jar) return jar;
      const java = findJava(host.env);
      if ('problem' in java) return { problem: `${java.problem}; or draw PlantUML without Java: --plantuml-engine browser (or auto)` };
      return new PlantUmlPipe(java.path, jar.path, timeoutMs, host.env, dark);
    };
    const png = async (svg: RenderOutcome): Promise<RenderOutcome> => {
      if (svg.kind !== 'image') return svg;
      if (closed) return { kind: 'cancelled' };
      const text = withMeasuredFont(Buffer.from(svg.data).toString('utf8'));
      const drawn = await browser.run(['png'], 'Drawing a PlantUML PNG', async (tab) => new Map([['png', await pngOf(tab, text)]]));
      return drawn.get('png')!;
    };
    const inJava = async ({ source, formats, dark = false }: RenderRequest): Promise<Map<ImageFormat, RenderOutcome>> => {
      const pipe = pipes.get(dark) ?? pipes.set(dark, open(dark)).get(dark)!;
      const svg: RenderOutcome = closed
        ? { kind: 'cancelled' }
        : 'problem' in pipe
          ? { kind: 'unavailable', message: pipe.problem }
          : await pipe.render(source);
      const outcomes = new Map<ImageFormat, RenderOutcome>([['svg', svg]]);
      if (formats.includes('png')) outcomes.set('png', await png(svg));
      return outcomes;
    };
    const inBrowser = ({ source, formats, dark = false }: RenderRequest): Promise<Map<ImageFormat, RenderOutcome>> =>
      browser.run(formats, 'PlantUML', async (tab) => {
        const svg = await drawPlantUmlInBrowser(tab, source, dark);
        const outcomes = new Map<ImageFormat, RenderOutcome>([['svg', svg]]);
        if (formats.includes('png')) outcomes.set('png', svg.kind === 'image' ? await pngOf(tab, Buffer.from(svg.data).toString('utf8')) : svg);
        return outcomes;
      });
    return {
      async render(request) {
        const drawn = await (drawer === 'java' ? inJava : inBrowser)(request);
        return new Map(request.formats.map((format) => [format, drawn.get(format)!]));
      },
      async png(data) {
        if (drawer === 'java') return png({ kind: 'image', data });
        const drawn = await browser.run(
          ['png'],
          'Drawing a PlantUML PNG',
          async (tab) => new Map([['png', await pngOf(tab, Buffer.from(data).toString('utf8'))]]),
        );
        return drawn.get('png')!;
      },
      async close() {
        closed = true;
        await Promise.all([...pipes.values()].map((pipe) => (pipe instanceof PlantUmlPipe ? pipe.close() : undefined)));
      },
    };
  },
};

function withMeasuredFont(svg: string): string {
  return svg.replaceAll('font-family="sans-serif"', `font-family="${MEASURED_FONT}, sans-serif"`);
}

/** The PNG of a PlantUML SVG, at the size its root's `viewBox="0 0 W H"` gives. */
function pngOf(tab: BrowserTab, svg: string): Promise<RenderOutcome> {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const box = /\bviewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(root);
  if (!box) return Promise.resolve({ kind: 'failed', message: `PlantUML's SVG has no viewBox: ${svg.slice(0, 80)}` });
  return rasterize(tab, svg, Number(box[1]), Number(box[2]));
}
