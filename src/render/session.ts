import type { Host } from '../shared/host.js';
import { BrowserPool } from './browser/pool.js';
import { ENGINES } from './engines.js';
import { resolveDrawing } from './drawing.js';
import type { DrawingChoices, EngineName, Renderer, ResolvedDrawing } from './renderer.js';

/** The renderers of one batch of images: each engine started on first use, one Chromium for all. */
export class RenderSession {
  private readonly renderers = new Map<EngineName, Renderer>();
  private readonly browser: BrowserPool;

  /** How this session draws: decided once, so a Java installed or removed meanwhile changes nothing until the next session. */
  readonly drawing: ResolvedDrawing;

  constructor(
    private readonly timeoutMs: number,
    drawing: DrawingChoices | undefined,
    /** Where the browser and Java are looked for. */
    private readonly host: Host,
  ) {
    this.drawing = resolveDrawing(drawing, host.env);
    this.browser = new BrowserPool(timeoutMs, host);
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
