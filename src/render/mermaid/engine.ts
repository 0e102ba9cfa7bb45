import { availableParallelism } from 'node:os';
import type { Browser } from 'puppeteer';
import type { Engine, ImageFormat, Renderer, RendererSettings, RenderOutcome, RenderRequest } from '../renderer.js';
import { withTimeout } from '../timeout.js';
import { mermaidVersions } from './assets.js';
import { findBrowser } from './find-browser.js';
import { MERMAID_BASE_CONFIG, MermaidPage, PNG_MAX_PIXELS, PNG_SCALE } from './page.js';

/** Bump when a change to the drawing code here changes the images, so that they are drawn again. */
const REVISION = 1;

const BROWSER_ARGS = [
  '--disable-gpu',
  // A closed network: without these Chromium keeps trying to reach Google's services.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--disable-dev-shm-usage',
  // Each window would otherwise start renderers for the address bar's popups, a second of CPU each.
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup',
];

/** Mermaid in one headless Chromium, with a few pages that each load Mermaid once. */
export const mermaidEngine: Engine = {
  name: 'mermaid',
  label: 'Mermaid',
  fingerprint() {
    return { ...mermaidVersions(), ...MERMAID_BASE_CONFIG, revision: REVISION, pngScale: PNG_SCALE, pngMaxPixels: PNG_MAX_PIXELS, background: 'white' };
  },
  start(settings: RendererSettings): Renderer {
    return new MermaidPool(settings, Math.max(1, Math.min(4, availableParallelism())));
  },
};

type Launch = { browser: Browser } | { problem: RenderOutcome };
/** A page to render in; why none can be had; or nothing, when the pool was closed. */
type Acquired = MermaidPage | { outcome: RenderOutcome } | undefined;

class MermaidPool implements Renderer {
  private launch?: Promise<Launch>;
  private readonly idle: MermaidPage[] = [];
  private readonly waiting: ((page: Acquired) => void)[] = [];
  /** Why no page can be opened, once one failed to: every later render fails the same way. */
  private broken?: RenderOutcome;
  private opened = 0;
  private closed = false;

  constructor(
    private readonly settings: RendererSettings,
    private readonly size: number,
  ) {}

  async render(request: RenderRequest): Promise<Map<ImageFormat, RenderOutcome>> {
    const every = (outcome: RenderOutcome) => new Map(request.formats.map((f) => [f, outcome]));
    const launched = await (this.launch ??= this.startBrowser());
    if ('problem' in launched) return every(launched.problem);
    const page = await this.acquire(launched.browser);
    if (!page) return every({ kind: 'cancelled' });
    if ('outcome' in page) return every(page.outcome);
    // Ids inside the SVG come from the diagram's name: stable between builds, unique on a wiki page.
    const id = `protoflow-${request.name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
    let crashed = false;
    const outcome = await withTimeout(
      page.render(request, id).catch(async (cause: unknown) => {
        crashed = true;
        // Closed under it: the build stopped, this diagram was not drawn.
        if (this.closed) return every({ kind: 'cancelled' });
        // A page that failed mid-render cannot be trusted with the next diagram.
        await this.kill(launched.browser);
        return every({ kind: 'failed', message: `Chromium failed: ${cause instanceof Error ? cause.message : String(cause)}` });
      }),
      this.settings.timeoutMs,
      async () => {
        await this.kill(launched.browser);
        return every({ kind: 'timeout', message: `Mermaid did not finish within ${this.settings.timeoutMs / 1000} s; Chromium was stopped` });
      },
    );
    if (!crashed) this.release(page);
    return outcome;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.waiting.splice(0)) wake(undefined);
    const launched = await this.launch;
    if (launched && 'browser' in launched) await launched.browser.close().catch(() => this.kill(launched.browser));
  }

  private async startBrowser(): Promise<Launch> {
    const found = findBrowser();
    if ('problem' in found) return { problem: { kind: 'unavailable', message: found.problem } };
    try {
      const { default: puppeteer } = await import('puppeteer');
      // Chromium refuses to run as root with its sandbox on; elsewhere the sandbox stays.
      const asRoot = process.getuid?.() === 0;
      const browser = await puppeteer.launch({
        executablePath: found.path,
        headless: true,
        args: [...BROWSER_ARGS, ...(asRoot ? ['--no-sandbox'] : [])],
        timeout: this.settings.timeoutMs,
        protocolTimeout: this.settings.timeoutMs * 2,
      });
      return { browser };
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
      // Puppeteer kills a browser that does not come up in time.
      const kind = cause instanceof Error && cause.name === 'TimeoutError' ? 'timeout' : 'failed';
      return { problem: { kind, message: `cannot start Chromium (${found.path}): ${reason}` } };
    }
  }

  /** An idle page, a new one (its loading timed like a render), or the next one released. */
  private async acquire(browser: Browser): Promise<Acquired> {
    if (this.closed) return undefined;
    if (this.broken) return { outcome: this.broken };
    const idle = this.idle.pop();
    if (idle) return idle;
    if (this.opened >= this.size) return new Promise((resolve) => this.waiting.push(resolve));
    this.opened++;
    const opened = await withTimeout(
      MermaidPage.open(browser).catch((cause: unknown): RenderOutcome => {
        const reason = cause instanceof Error ? cause.message : String(cause);
        return { kind: 'failed', message: `cannot load Mermaid in Chromium: ${reason}` };
      }),
      this.settings.timeoutMs,
      async (): Promise<RenderOutcome> => {
        await this.kill(browser);
        return { kind: 'timeout', message: `Chromium did not load Mermaid within ${this.settings.timeoutMs / 1000} s and was stopped` };
      },
    );
    if (opened instanceof MermaidPage) return opened;
    if (this.closed && opened.kind !== 'timeout') return undefined;
    this.broken = opened;
    for (const wake of this.waiting.splice(0)) wake({ outcome: opened });
    return { outcome: opened };
  }

  private release(page: MermaidPage): void {
    if (this.closed) return;
    const next = this.waiting.shift();
    if (next) next(page);
    else this.idle.push(page);
  }

  private async kill(browser: Browser): Promise<void> {
    this.closed = true;
    for (const wake of this.waiting.splice(0)) wake(undefined);
    browser.process()?.kill('SIGKILL');
  }
}
