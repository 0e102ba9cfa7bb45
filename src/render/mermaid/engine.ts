import { rasterize, RASTER_FINGERPRINT } from '../browser/rasterize.js';
import type { Engine, ImageFormat, Renderer, RendererSettings, RenderOutcome } from '../renderer.js';
import { mermaidVersions } from './assets.js';
import { drawMermaid, MERMAID_BASE_CONFIG } from './draw.js';

/** Bump when a change to the drawing code here changes the images, so that they are drawn again. */
const REVISION = 7;

/** Mermaid in the build's shared Chromium, loaded once per tab; PNGs are its SVGs drawn on a canvas. */
export const mermaidEngine: Engine = {
  name: 'mermaid',
  label: 'Mermaid',
  fingerprints() {
    return [{ ...mermaidVersions(), ...MERMAID_BASE_CONFIG, revision: REVISION, ...RASTER_FINGERPRINT }];
  },
  start({ browser }: RendererSettings): Renderer {
    return {
      render(request) {
        // Ids inside the SVG come from the diagram's name: stable between builds, unique on a wiki page.
        const id = `protoflow-${request.name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
        return browser.run(request.formats, 'Mermaid', async (tab) => {
          const drawn = await drawMermaid(tab, request, id);
          const outcomes = new Map<ImageFormat, RenderOutcome>();
          for (const format of request.formats) {
            if (!drawn.ok) outcomes.set(format, { kind: 'rejected', message: drawn.message, ...(drawn.line ? { line: drawn.line } : {}) });
            else if (format === 'svg') outcomes.set(format, { kind: 'image', data: Buffer.from(drawn.svg, 'utf8') });
            else outcomes.set(format, await rasterize(tab, drawn.svg, drawn.width, drawn.height));
          }
          return outcomes;
        });
      },
      async png(data) {
        const svg = Buffer.from(data).toString('utf8');
        // The size Mermaid drew at: the root's viewBox, as drawMermaid reads it.
        const box = /^<svg\b[^>]*?\bviewBox="[-\d.e]+[ ,]+[-\d.e]+[ ,]+([\d.e]+)[ ,]+([\d.e]+)"/.exec(svg);
        if (!box) return { kind: 'failed', message: `Mermaid's SVG has no viewBox: ${svg.slice(0, 80)}` };
        const drawn = await browser.run(
          ['png'],
          'Drawing a Mermaid PNG',
          async (tab) => new Map([['png', await rasterize(tab, svg, Number(box[1]), Number(box[2]))]]),
        );
        return drawn.get('png')!;
      },
      // The browser belongs to the build, which closes it.
      async close() {},
    };
  },
};
