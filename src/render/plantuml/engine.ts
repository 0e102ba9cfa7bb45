import { rasterize, RASTER_FINGERPRINT } from '../browser/rasterize.js';
import type { Engine, ImageFormat, Renderer, RendererSettings, RenderOutcome } from '../renderer.js';
import { findJava } from './find-java.js';
import { plantUmlJar } from './jar.js';
import { PLANTUML_LIMIT_SIZE, PlantUmlPipe } from './pipe.js';

/** Bump when a change to the drawing code here changes the images, so that they are drawn again. */
const REVISION = 2;

/**
 * PlantUML from the jar in node_modules, in one warm JVM for every diagram. It draws the SVG only;
 * the PNG is that SVG drawn in the build's Chromium at 2×, three times cheaper than PlantUML's own
 * PNG (whose colour quantisation and row filtering cost more than the layout) and as sharp as the
 * Mermaid ones.
 */
export const plantumlEngine: Engine = {
  name: 'plantuml',
  label: 'PlantUML',
  fingerprint() {
    const jar = plantUmlJar();
    return {
      plantuml: 'version' in jar ? jar.version : 'missing',
      revision: REVISION,
      limitSize: PLANTUML_LIMIT_SIZE,
      security: 'SANDBOX',
      graphviz: 'none',
      pngFont: MEASURED_FONT,
      ...RASTER_FINGERPRINT,
    };
  },
  start({ timeoutMs, browser }: RendererSettings): Renderer {
    let pipe: PlantUmlPipe | { problem: string } | undefined;
    let closed = false;
    const open = () => {
      const jar = plantUmlJar();
      if ('problem' in jar) return jar;
      const java = findJava();
      if ('problem' in java) return java;
      return new PlantUmlPipe(java.path, jar.path, timeoutMs);
    };
    const draw = async (source: string, wantPng: boolean): Promise<Map<ImageFormat, RenderOutcome>> => {
      pipe ??= open();
      const svg: RenderOutcome = closed ? { kind: 'cancelled' } : 'problem' in pipe ? { kind: 'unavailable', message: pipe.problem } : await pipe.render(source);
      const outcomes = new Map<ImageFormat, RenderOutcome>([['svg', svg]]);
      if (!wantPng) return outcomes;
      if (svg.kind !== 'image') return outcomes.set('png', svg);
      if (closed) return outcomes.set('png', { kind: 'cancelled' });
      const text = Buffer.from(svg.data).toString('utf8');
      const size = svgSize(text);
      if (!size) return outcomes.set('png', { kind: 'failed', message: `PlantUML's SVG has no viewBox: ${text.slice(0, 80)}` });
      const png = await browser.run(['png'], 'Drawing a PlantUML PNG', async (tab) => new Map([['png', await rasterize(tab, withMeasuredFont(text), size.width, size.height)]]));
      return outcomes.set('png', png.get('png')!);
    };
    return {
      async render({ source, formats }) {
        const drawn = await draw(source, formats.includes('png'));
        return new Map(formats.map((format) => [format, drawn.get(format)!]));
      },
      async close() {
        closed = true;
        if (pipe instanceof PlantUmlPipe) await pipe.close();
      },
    };
  },
};

/**
 * PlantUML measures text in Java's SansSerif font, which fontconfig resolves to DejaVu Sans on
 * Debian, then writes `font-family="sans-serif"` and stretches each text to the measured width.
 * Chromium's sans-serif is Liberation Sans, narrower: named in the SVG the PNG is drawn from, the
 * font the layout was made for shows instead of letter-spaced text.
 */
const MEASURED_FONT = 'DejaVu Sans';

function withMeasuredFont(svg: string): string {
  return svg.replaceAll('font-family="sans-serif"', `font-family="${MEASURED_FONT}, sans-serif"`);
}

/** The size PlantUML gives its SVG: the root element's `viewBox="0 0 W H"`. */
function svgSize(svg: string): { width: number; height: number } | undefined {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const box = /\bviewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(root);
  return box ? { width: Number(box[1]), height: Number(box[2]) } : undefined;
}
