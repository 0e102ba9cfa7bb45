import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { Browser, BrowserContext, HTTPRequest, Page } from 'puppeteer';
import type { ImageFormat, RenderOutcome, RenderRequest } from '../renderer.js';
import { MERMAID_DIST, MERMAID_ENTRY } from './assets.js';

/** PNGs are drawn at twice the SVG's size, for sharp text on high-density screens... */
export const PNG_SCALE = 2;
/**
 * ...unless that makes more pixels than this: then at the largest scale that fits, but never below
 * 1. A 2× PNG of a big flowchart would be over 100 megapixels, which wikis refuse and viewers choke on.
 */
export const PNG_MAX_PIXELS = 8_000_000;

/**
 * Settings every diagram is drawn with; the target's configuration comes on top. Liberation Sans
 * has Arial's metrics, so the text Mermaid measures here is the text a viewer with Arial draws.
 */
export const MERMAID_BASE_CONFIG = { startOnLoad: false, securityLevel: 'strict', fontFamily: 'arial, "Liberation Sans", sans-serif' } as const;

/** Requests to this origin are answered from Mermaid's dist folder; nothing else leaves the page. */
const ASSET_ORIGIN = 'https://protoflow.invalid';
const PAGE_HTML =
  '<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0;background:#fff"><div id="container"></div></body></html>';

const assetCache = new Map<string, Promise<Buffer>>();

function answer(request: HTTPRequest): void {
  const file = assetFile(request.url());
  if (file) {
    let body = assetCache.get(file);
    if (!body) assetCache.set(file, (body = readFile(file)));
    body
      .then(
        (content) =>
          request.respond({ status: 200, contentType: 'text/javascript; charset=utf-8', headers: { 'Access-Control-Allow-Origin': '*' }, body: content }),
        () => request.abort('failed'),
      )
      // The page may be gone by then (the build stopped): nothing is waiting for the answer.
      .catch(() => undefined);
    return;
  }
  // Diagrams are drawn offline: no fonts, images, links or styles are fetched, whatever a label says.
  request.abort('blockedbyclient').catch(() => undefined);
}

/** The Mermaid module file a request asks for, when it is one; anything else is refused. */
function assetFile(address: string): string | undefined {
  try {
    const url = new URL(address);
    if (url.origin !== ASSET_ORIGIN) return undefined;
    const file = resolve(MERMAID_DIST, `.${decodeURIComponent(url.pathname)}`);
    return file.startsWith(MERMAID_DIST + sep) && file.endsWith('.mjs') ? file : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the page sees, typed as far as the code below uses it (the project compiles without the
 * DOM library, so that Node code cannot use browser globals by mistake).
 */
interface PageGlobals {
  protoflowMermaid: {
    initialize(config: Record<string, unknown>): void;
    mermaidAPI: { getConfig(): { maxTextSize?: number } };
    render(id: string, text: string, container?: unknown): Promise<{ svg: string }>;
  };
  document: {
    getElementById(id: string): PageElement | null;
    createElement(tag: 'canvas'): PageCanvas;
    createTreeWalker(root: PageElement, show: number): { nextNode(): PageText | null };
  };
  XMLSerializer: new () => { serializeToString(node: PageElement): string };
  DOMParser: new () => { parseFromString(text: string, type: 'text/html'): { body: PageElement } };
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
interface PageText {
  nodeValue: string | null;
  parentElement: PageElement | null;
}
interface PageElement {
  closest(selector: string): PageElement | null;
  innerHTML: string;
  style: Record<string, string>;
  querySelector(selector: string): PageElement | null;
  viewBox: { baseVal: { width: number; height: number } };
  remove(): void;
}

type Drawn = { ok: true; svg: string; width: number; height: number } | { ok: false; message: string; line?: number };

/**
 * One worker: a page in its own browser context (pages sharing a context have been seen to hang
 * in PNG screenshots), with Mermaid loaded once.
 */
export class MermaidPage {
  private constructor(
    private readonly context: BrowserContext,
    private readonly page: Page,
  ) {}

  static async open(browser: Browser): Promise<MermaidPage> {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setRequestInterception(true);
    page.on('request', answer);
    await page.setContent(PAGE_HTML);
    // A string, not a function: bundlers rewrite `import()` inside functions into helpers the page lacks.
    await page.evaluate(`import(${JSON.stringify(`${ASSET_ORIGIN}/${MERMAID_ENTRY}`)}).then((m) => { globalThis.protoflowMermaid = m.default; })`);
    return new MermaidPage(context, page);
  }

  async render(request: RenderRequest, id: string): Promise<Map<ImageFormat, RenderOutcome>> {
    const drawn = await this.draw(request, id);
    const outcomes = new Map<ImageFormat, RenderOutcome>();
    for (const format of request.formats) {
      if (!drawn.ok) outcomes.set(format, { kind: 'rejected', message: drawn.message, ...(drawn.line ? { line: drawn.line } : {}) });
      else if (format === 'svg') outcomes.set(format, { kind: 'image', data: Buffer.from(drawn.svg, 'utf8') });
      else outcomes.set(format, await this.rasterize(drawn.svg, drawn.width, drawn.height));
    }
    return outcomes;
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  /** Mermaid's SVG as it will be written, and its size; or Mermaid's complaint. */
  private draw({ source, config }: RenderRequest, id: string): Promise<Drawn> {
    return this.page.evaluate(
      async (source: string, config: Record<string, unknown>, id: string): Promise<Drawn> => {
        const g = globalThis as unknown as PageGlobals;
        const mermaid = g.protoflowMermaid;
        /**
         * SVG-text labels keep entity codes as written (`&#40;`, mermaid-js/mermaid#7015), so decode
         * them in every label. Not in the title, which comes from front matter as plain text.
         */
        const decodeLabelEntities = (g: PageGlobals, svg: PageElement) => {
          const SHOW_TEXT = 4;
          const walker = g.document.createTreeWalker(svg, SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const label = node.parentElement?.closest('text');
            if (!label || label.closest('.flowchartTitleText')) continue;
            node.nodeValue = (node.nodeValue ?? '').replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
          }
        };
        mermaid.initialize(config);
        // Mermaid draws an error picture instead of a diagram past this size; report it instead.
        const limit = mermaid.mermaidAPI.getConfig().maxTextSize;
        if (typeof limit === 'number' && source.length > limit) {
          return { ok: false, message: `Maximum text size in diagram exceeded: ${source.length} characters, Mermaid's limit is ${limit}` };
        }
        const container = g.document.getElementById('container');
        if (!container) return { ok: false, message: 'the rendering page lost its container' };
        try {
          const { svg } = await mermaid.render(id, source, container);
          // Parsed as a page would parse it, into a document never laid out: editing and measuring
          // the finished SVG costs no second layout of it.
          const element = new g.DOMParser().parseFromString(svg, 'text/html').body.querySelector('svg');
          if (!element) return { ok: false, message: 'Mermaid returned no SVG' };
          element.style.backgroundColor = 'white';
          if (config.htmlLabels === false) decodeLabelEntities(g, element);
          const text = new g.XMLSerializer().serializeToString(element);
          const { width, height } = element.viewBox.baseVal;
          return { ok: true, svg: text, width, height };
        } catch (cause) {
          const message = cause instanceof Error ? cause.message : String(cause);
          const line = /on line (\d+)/.exec(message)?.[1];
          return { ok: false, message, ...(line ? { line: Number(line) } : {}) };
        } finally {
          container.innerHTML = '';
          g.document.getElementById(`d${id}`)?.remove();
        }
      },
      source,
      { ...MERMAID_BASE_CONFIG, ...config },
      id,
    );
  }

  /**
   * The PNG of exactly the SVG written, drawn as an image on a canvas: two to three times faster
   * than a screenshot of the page, and an SVG drawn as an image can load nothing from anywhere.
   */
  private async rasterize(svg: string, width: number, height: number): Promise<RenderOutcome> {
    const scale = pngScale(width, height);
    const png = await this.page.evaluate(
      async (svg: string, width: number, height: number, scale: number): Promise<string | { problem: string }> => {
        const g = globalThis as unknown as PageGlobals;
        const url = g.URL.createObjectURL(new g.Blob([svg], { type: 'image/svg+xml' }));
        try {
          const image = new g.Image(Math.ceil(width), Math.ceil(height));
          image.src = url;
          await image.decode();
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
      scale,
    );
    if (typeof png !== 'string') return { kind: 'failed', message: png.problem };
    return { kind: 'image', data: Buffer.from(png, 'base64') };
  }
}

/** Browsers refuse canvases with a side over this many pixels. */
const CANVAS_MAX_SIDE = 16384;

/** PNG_SCALE, lowered for huge diagrams as PNG_MAX_PIXELS says, and always within a canvas. */
export function pngScale(width: number, height: number): number {
  const withinBudget = Math.max(1, Math.min(PNG_SCALE, Math.sqrt(PNG_MAX_PIXELS / (width * height))));
  return Math.min(withinBudget, CANVAS_MAX_SIDE / width, CANVAS_MAX_SIDE / height);
}
