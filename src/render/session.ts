import type { Host } from '../shared/host.js';
import { BrowserPool } from './browser/pool.js';
import { ENGINES } from './engines.js';
import { resolveDrawing } from './drawing.js';
import { findPngPalette, NO_PALETTE, type PngPalette, type Shrunk } from './png-palette.js';
import type { DrawingChoices, EngineName, ImageFormat, Renderer, RenderOutcome, ResolvedDrawing } from './renderer.js';
import type { ImageJob } from './render-images.js';
import { withBothPalettes } from './browser/both-palettes.js';

/** The renderers of one batch of images: each engine started on first use, one Chromium for all. */
export class RenderSession {
  private readonly renderers = new Map<EngineName, Renderer>();
  private readonly browser: BrowserPool;

  /** How this session draws: decided once, so a Java installed or removed meanwhile changes nothing until the next session. */
  readonly drawing: ResolvedDrawing;
  private readonly palette: PngPalette;

  constructor(
    private readonly timeoutMs: number,
    drawing: DrawingChoices | undefined,
    /** Where the browser and Java are looked for. */
    private readonly host: Host,
    /** What gives PNGs their palette. */
    palette: PngPalette = findPngPalette(),
  ) {
    this.drawing = resolveDrawing(drawing, host.env);
    this.palette = palette.kind === this.drawing.pngPalette ? palette : NO_PALETTE;
    this.browser = new BrowserPool(timeoutMs, host);
  }

  /** A PNG drawn by a renderer, as it is written: with a palette where this session gives one. */
  shrinkPng(png: Uint8Array): Promise<Shrunk> {
    return this.palette.shrink(png);
  }

  /**
   * A diagram's images in its theme. `auto` draws it in both palettes: the SVG holds both (see
   * withBothPalettes), the PNG is the light one.
   */
  async draw(
    job: Pick<ImageJob, 'name' | 'source' | 'engine' | 'config' | 'theme'>,
    formats: readonly ImageFormat[],
  ): Promise<Map<ImageFormat, RenderOutcome>> {
    const renderer = this.renderer(job.engine);
    const request = { name: job.name, source: job.source, config: job.config, formats };
    if (job.theme !== 'auto' || !formats.includes('svg')) return renderer.render({ ...request, dark: job.theme === 'dark' });
    const [light, dark] = await Promise.all([renderer.render(request), renderer.render({ ...request, formats: ['svg'], dark: true })]);
    const [day, night] = [light.get('svg')!, dark.get('svg')!];
    if (day.kind !== 'image') return light;
    if (night.kind !== 'image') return light.set('svg', night);
    const both = await this.browser.run(['svg'], 'Writing an SVG in both palettes', async (tab) => {
      const svg = await withBothPalettes(tab, Buffer.from(day.data).toString('utf8'), Buffer.from(night.data).toString('utf8'));
      return new Map([['svg', svg]]);
    });
    return light.set('svg', both.get('svg')!);
  }

  renderer(engine: EngineName): Renderer {
    let renderer = this.renderers.get(engine);
    if (!renderer) {
      renderer = ENGINES[engine].start({ timeoutMs: this.timeoutMs, browser: this.browser, drawing: this.drawing, host: this.host });
      this.renderers.set(engine, renderer);
    }
    return renderer;
  }

  /** Stops every renderer; renders still running end as cancelled. */
  async close(): Promise<void> {
    await Promise.all([...[...this.renderers.values()].map((r) => r.close()), this.browser.close()]);
  }
}
