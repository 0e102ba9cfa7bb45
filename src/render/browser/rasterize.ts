import type { RenderOutcome } from '../renderer.js';
import type { BrowserTab } from './tab.js';

/** PNGs are drawn at twice the SVG's size, for sharp text on high-density screens... */
export const PNG_SCALE = 2;
/**
 * ...unless that makes more pixels than this: then at the largest scale that fits, but never below
 * 1. A 2× PNG of a big flowchart would be over 100 megapixels, which wikis refuse and viewers choke on.
 */
export const PNG_MAX_PIXELS = 8_000_000;

/** Browsers refuse canvases with a side over this many pixels. */
const CANVAS_MAX_SIDE = 16384;

/** Everything besides the SVG that decides the bytes of a PNG drawn here. */
export const RASTER_FINGERPRINT = { pngScale: PNG_SCALE, pngMaxPixels: PNG_MAX_PIXELS, pngBackground: 'white' };

/** PNG_SCALE, lowered for huge diagrams as PNG_MAX_PIXELS says, and always within a canvas. */
export function pngScale(width: number, height: number): number {
  const withinBudget = Math.max(1, Math.min(PNG_SCALE, Math.sqrt(PNG_MAX_PIXELS / (width * height))));
  return Math.min(withinBudget, CANVAS_MAX_SIDE / width, CANVAS_MAX_SIDE / height);
}

/** What the page sees, typed as far as the code below uses it (the project compiles without the DOM library). */
interface PageGlobals {
  document: { createElement(tag: 'canvas'): PageCanvas };
  URL: { createObjectURL(blob: unknown): string; revokeObjectURL(url: string): void };
  Blob: new (parts: string[], options: { type: string }) => unknown;
  Image: new (width: number, height: number) => { src: string; decode(): Promise<void> };
}
interface PageCanvas {
  toDataURL(type: string): string;
  width: number;
  height: number;
  getContext(kind: '2d'): {
    fillStyle: string;
    fillRect(x: number, y: number, width: number, height: number): void;
    drawImage(image: unknown, x: number, y: number, width: number, height: number): void;
  } | null;
}

/**
 * The PNG of exactly the SVG written, `width` × `height` user units, drawn as an image on a white
 * canvas at pngScale(): faster than a screenshot of the page or PlantUML's own PNG, and an SVG
 * drawn as an image can load nothing from anywhere.
 */
export async function rasterize(tab: BrowserTab, svg: string, width: number, height: number): Promise<RenderOutcome> {
  const png = await tab.page.evaluate(
    async (svg: string, width: number, height: number, scale: number): Promise<string | { problem: string }> => {
      const g = globalThis as unknown as PageGlobals;
      const url = g.URL.createObjectURL(new g.Blob([svg], { type: 'image/svg+xml' }));
      try {
        const image = new g.Image(Math.ceil(width), Math.ceil(height));
        image.src = url;
        try {
          await image.decode();
        } catch {
          return { problem: 'Chromium could not read the SVG as an image' };
        }
        const canvas = g.document.createElement('canvas');
        canvas.width = Math.ceil(width * scale);
        canvas.height = Math.ceil(height * scale);
        const context = canvas.getContext('2d');
        if (!context) return { problem: 'no 2D canvas in Chromium' };
        context.fillStyle = '#fff';
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        // Base64 straight from the encoder: quicker than a Blob copied out byte by byte.
        const dataUrl = canvas.toDataURL('image/png');
        const prefix = 'data:image/png;base64,';
        if (!dataUrl.startsWith(prefix)) return { problem: `Chromium could not encode a ${canvas.width}×${canvas.height} PNG` };
        return dataUrl.slice(prefix.length);
      } finally {
        g.URL.revokeObjectURL(url);
      }
    },
    svg,
    width,
    height,
    pngScale(width, height),
  );
  if (typeof png !== 'string') return { kind: 'failed', message: png.problem };
  return { kind: 'image', data: Buffer.from(png, 'base64') };
}
