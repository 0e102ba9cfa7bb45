import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { Browser, BrowserContext, HTTPRequest, Page } from 'puppeteer-core';

/** Requests to this origin are answered from the module folders a tab loads; nothing else leaves the page. */
const MODULE_ORIGIN = 'https://protoflow.invalid';
const PAGE_HTML = '<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0;background:#fff"><div id="container"></div></body></html>';

/** Where a loaded module's files are served from: `moduleUrl('mermaid', 'chunks/x.mjs')`. */
export function moduleUrl(name: string, path: string): string {
  return `${MODULE_ORIGIN}/${encodeURIComponent(name)}/${path}`;
}

/** Module files as served, by the transform they went through, then module name and path: read and transformed once per process. */
const servedFiles = new WeakMap<object, Map<string, Promise<Buffer>>>();
const UNTRANSFORMED = {};

interface ModuleSource {
  dir: string;
  /** Applied to every file of the module before the page gets it. */
  transform?: (code: string) => string;
}

/**
 * One worker in the shared browser: a page in its own browser context (pages sharing a context
 * have been seen to hang), offline, with ES modules loaded at most once.
 */
export class BrowserTab {
  /** Module name → where its files come from. */
  private readonly modules = new Map<string, ModuleSource>();
  private readonly loading = new Map<string, Promise<void>>();

  private constructor(
    private readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  static async open(browser: Browser): Promise<BrowserTab> {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    const tab = new BrowserTab(context, page);
    // A `theme: auto` SVG drawn here (its PNG) is light, whatever the machine prefers.
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    await page.setRequestInterception(true);
    page.on('request', (request) => tab.answer(request));
    await page.setContent(PAGE_HTML);
    return tab;
  }

  /**
   * Imports `dir/entry` as an ES module once per tab; its namespace becomes
   * `globalThis.protoflowModules[name]`. Its own imports are served from `dir` too, each file
   * through `transform` when given. `globals` are set and `scripts` (in `dir`) run first, as
   * classic scripts, in order.
   */
  loadModule(
    name: string,
    dir: string,
    entry: string,
    options: { transform?: (code: string) => string; scripts?: readonly string[]; globals?: Readonly<Record<string, string>> } = {},
  ): Promise<void> {
    let loaded = this.loading.get(name);
    if (!loaded) {
      this.modules.set(name, { dir: resolve(dir), ...(options.transform ? { transform: options.transform } : {}) });
      const base = moduleUrl(name, '');
      // A string, not a function: bundlers rewrite `import()` inside functions into helpers the page lacks.
      const script = `import(${JSON.stringify(`${base}${entry}`)}).then((m) => { (globalThis.protoflowModules ??= {})[${JSON.stringify(name)}] = m; })`;
      loaded = (async () => {
        for (const [key, value] of Object.entries(options.globals ?? {}))
          await this.page.evaluate(`globalThis[${JSON.stringify(key)}] = ${JSON.stringify(value)}`);
        for (const file of options.scripts ?? []) await this.page.addScriptTag({ url: `${base}${file}` });
        await this.page.evaluate(script);
      })();
      this.loading.set(name, loaded);
    }
    return loaded;
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  private answer(request: HTTPRequest): void {
    const served = this.moduleFile(request.url());
    if (served) {
      const { name, file, transform } = served;
      let files = servedFiles.get(transform ?? UNTRANSFORMED);
      if (!files) servedFiles.set(transform ?? UNTRANSFORMED, (files = new Map()));
      let body = files.get(`${name}\0${file}`);
      if (!body) {
        body = readFile(file).then((content) => (transform ? Buffer.from(transform(content.toString('utf8')), 'utf8') : content));
        files.set(`${name}\0${file}`, body);
      }
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

  /** The module file a request asks for, when it is one inside a loaded module's folder; else nothing. */
  private moduleFile(address: string): (ModuleSource & { name: string; file: string }) | undefined {
    try {
      const url = new URL(address);
      if (url.origin !== MODULE_ORIGIN) return undefined;
      const [, encodedName, ...rest] = url.pathname.split('/');
      const name = decodeURIComponent(encodedName ?? '');
      const module = this.modules.get(name);
      if (!module) return undefined;
      const file = resolve(module.dir, `.${decodeURIComponent(`/${rest.join('/')}`)}`);
      return file.startsWith(module.dir + sep) && /\.m?js$/.test(file) ? { ...module, name, file } : undefined;
    } catch {
      return undefined;
    }
  }
}
