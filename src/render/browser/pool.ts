import { availableParallelism } from 'node:os';
import type { Host } from '../../shared/host.js';
import type { Browser } from 'puppeteer-core';
import type { ImageFormat, RenderOutcome } from '../renderer.js';
import { withTimeout } from '../timeout.js';
import { launchBrowser, type Launch } from './launch.js';
import { BrowserTab } from './tab.js';

/** A tab to work in; why none can be had; or nothing, when the pool was closed. */
type Acquired = BrowserTab | { outcome: RenderOutcome } | undefined;
type Outcomes = Map<ImageFormat, RenderOutcome>;

/**
 * One headless Chromium for a whole build, started on first use, with a few tabs (one per core, at
 * most four) that every engine drawing in a browser shares.
 */
export class BrowserPool {
  private launch?: Promise<Launch>;
  private readonly idle: BrowserTab[] = [];
  private readonly waiting: ((tab: Acquired) => void)[] = [];
  /** Why no tab can be opened, once one failed to: every later task fails the same way. */
  private broken?: RenderOutcome;
  private opened = 0;
  private closed = false;

  constructor(
    private readonly timeoutMs: number,
    /** Where the browser is looked for: its project folder, where @puppeteer/browsers may have installed one, and the environment. */
    private readonly host: Host,
    private readonly size = BrowserPool.defaultSize(),
  ) {}

  /** One tab per core, at most four. */
  static defaultSize(): number {
    return Math.max(1, Math.min(4, availableParallelism()));
  }

  /**
   * Runs `work` in a free tab within the time limit. Whatever goes wrong (no browser, a crash, a
   * timeout, the pool closing) becomes the outcome of every format asked for; `task` names the
   * work in messages ("Mermaid").
   */
  async run(formats: readonly ImageFormat[], task: string, work: (tab: BrowserTab) => Promise<Outcomes>): Promise<Outcomes> {
    const every = (outcome: RenderOutcome): Outcomes => new Map(formats.map((f) => [f, outcome]));
    if (this.closed) return every({ kind: 'cancelled' });
    const launched = await (this.launch ??= launchBrowser(this.host, this.timeoutMs));
    if ('problem' in launched) return every(launched.problem);
    const tab = await this.acquire(launched.browser);
    if (!tab) return every({ kind: 'cancelled' });
    if ('outcome' in tab) return every(tab.outcome);
    let crashed = false;
    const outcome = await withTimeout(
      work(tab).catch(async (cause: unknown) => {
        crashed = true;
        // Closed under it: the build stopped, this work was not done.
        if (this.closed) return every({ kind: 'cancelled' });
        // A tab that failed mid-task cannot be trusted with the next one: a new one takes its place.
        this.opened--;
        await tab.close().catch(() => undefined);
        const next = this.waiting.shift();
        if (next) void this.acquire(launched.browser).then(next);
        return every({ kind: 'failed', message: `Chromium failed: ${cause instanceof Error ? cause.message : String(cause)}` });
      }),
      this.timeoutMs,
      async () => {
        await this.kill(launched.browser);
        return every({ kind: 'timeout', message: `${task} did not finish within ${this.timeoutMs / 1000} s; Chromium was stopped` });
      },
    );
    if (!crashed) this.release(tab);
    return outcome;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.waiting.splice(0)) wake(undefined);
    const launched = await this.launch;
    if (launched && 'browser' in launched) await launched.browser.close().catch(() => this.kill(launched.browser));
  }

  /** An idle tab, a new one (its opening timed like a task), or the next one released. */
  private async acquire(browser: Browser): Promise<Acquired> {
    if (this.closed) return undefined;
    if (this.broken) return { outcome: this.broken };
    const idle = this.idle.pop();
    if (idle) return idle;
    if (this.opened >= this.size) return new Promise((resolve) => this.waiting.push(resolve));
    this.opened++;
    const opened = await withTimeout(
      BrowserTab.open(browser).catch((cause: unknown): RenderOutcome => {
        const reason = cause instanceof Error ? cause.message : String(cause);
        return { kind: 'failed', message: `cannot open a page in Chromium: ${reason}` };
      }),
      this.timeoutMs,
      async (): Promise<RenderOutcome> => {
        await this.kill(browser);
        return { kind: 'timeout', message: `Chromium did not open a page within ${this.timeoutMs / 1000} s and was stopped` };
      },
    );
    if (opened instanceof BrowserTab) return opened;
    if (this.closed && opened.kind !== 'timeout') return undefined;
    this.broken = opened;
    for (const wake of this.waiting.splice(0)) wake({ outcome: opened });
    return { outcome: opened };
  }

  private release(tab: BrowserTab): void {
    if (this.closed) return;
    const next = this.waiting.shift();
    if (next) next(tab);
    else this.idle.push(tab);
  }

  /** Stops Chromium at once (a task over its time limit); the pool is closed for good. */
  private async kill(browser: Browser): Promise<void> {
    this.closed = true;
    for (const wake of this.waiting.splice(0)) wake(undefined);
    browser.process()?.kill('SIGKILL');
  }
}
