import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnosticsText } from '../src/cli/output.js';
import { Previewer } from '../src/preview/previewer.js';
import { type PreviewServer, servePreview } from '../src/preview/server.js';
import { Project } from '../src/project/project.js';
import { findBrowser } from '../src/render/browser/find-browser.js';
import type { RenderSession } from '../src/render/session.js';
import { HOST } from './support/host.js';
import { squeeze, svgTexts } from './support/images.js';

const SPEC = 'specs/https-browser.yaml';
const ORIGINAL = readFileSync(SPEC, 'utf8');

describe('protoflow preview: the live page, driven in the real Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'protoflow-preview-'));
  const host = { ...HOST, cwd: dir };
  let session: RenderSession;
  let previewer: Previewer;
  let server: PreviewServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(join(dir, 'specs'));
    // With the spec it includes.
    for (const spec of [SPEC, 'specs/tcp-handshake.yaml']) cpSync(spec, join(dir, spec));
    const project = new Project(host);
    session = await project.renderSession();
    previewer = new Previewer(project, session, (diagnostics, sources) => diagnosticsText(diagnostics, sources, host, false));
    await previewer.start();
    server = await servePreview(previewer, 0);
    const found = await findBrowser(HOST.cwd, HOST.env);
    if (!('path' in found)) throw new Error(found.problem);
    const { default: puppeteer } = await import('puppeteer-core');
    browser = await puppeteer.launch({ executablePath: found.path, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
    page = await browser.newPage();
    await page.setViewport({ width: 1100, height: 900 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await previewer?.close();
    await session?.close();
  });

  /** The diagram on screen: its name, the version of the spec it shows, and the text of its SVG. */
  const shown = () =>
    page.evaluate(async () => {
      const image = document.querySelector<HTMLImageElement>('.viewport img')!;
      // Read together, before the fetch: the page may show the next diagram meanwhile.
      const { name = '', version = '0' } = image.dataset;
      const source = image.getAttribute('src') ? image.src : undefined;
      const svg = source ? await (await fetch(source)).text() : '';
      return { name, version: Number(version), svg, transform: image.style.transform };
    });
  const textOf = (svg: string) => squeeze(svgTexts(svg).join(''));
  /** Waits until the diagram on screen satisfies `ready`. */
  const until = async (ready: (now: Awaited<ReturnType<typeof shown>>) => boolean) => {
    for (let i = 0; i < 300; i++) {
      const now = await shown();
      if (ready(now)) return now;
      await new Promise((wait) => setTimeout(wait, 100));
    }
    throw new Error(`the page never showed it: ${JSON.stringify((await shown()).name)}`);
  };

  it('shows a spec, follows an edit without reloading, a scenario, a broken spec and its fix', async () => {
    await page.goto(`${server.url}spec?path=${encodeURIComponent(SPEC)}`);
    const first = await until((now) => now.svg.includes('<svg'));
    expect(first.name).toBe('https-browser.sequence.puml');
    expect(textOf(first.svg)).toContain(squeeze('ephemeral ECDH'));
    // Zoomed in, and marked: a reload would lose both.
    await page.click('button[title="zoom in"]');
    const zoomed = (await shown()).transform;
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));

    writeFileSync(join(dir, SPEC), ORIGINAL.replace('- message: URL', '- message: URL typed'));
    const edited = await until((now) => now.version > first.version && now.svg.includes('<svg'));
    expect(textOf(edited.svg)).toContain(squeeze('URL typed'));
    expect(edited.transform).toBe(zoomed);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

    await page.select('select[data-variable="keyExchange"]', 'rsa');
    const rsa = await until((now) => now.name === 'https-browser--keyExchange-rsa.sequence.puml' && now.svg.includes('<svg'));
    expect(textOf(rsa.svg)).toContain(squeeze('URL typed'));
    expect(textOf(rsa.svg)).not.toContain(squeeze('ephemeral ECDH'));

    writeFileSync(join(dir, SPEC), ORIGINAL.replace('- message: URL', '- message: URL typed').replace('from: user', 'from: usr'));
    await page.waitForFunction(() => document.querySelector('pre.problems')?.textContent?.includes('PF301'), { timeout: 30_000 });
    const problems = await page.$eval('pre.problems', (pre) => ({ text: pre.textContent ?? '', hidden: (pre as HTMLElement).hidden }));
    expect(problems.hidden).toBe(false);
    expect(problems.text).toContain(`${SPEC}:56:15 error PF301 undeclared participant "usr"`);
    expect(problems.text).toContain('> 56 |         from: usr');
    // The last good diagram stays, in the scenario chosen.
    expect((await shown()).name).toBe(rsa.name);
    expect(await page.$eval('p.stale', (p) => p.textContent)).toContain('last good diagrams');

    writeFileSync(join(dir, SPEC), ORIGINAL.replace('- message: URL', '- message: URL fixed'));
    const fixed = await until((now) => textOf(now.svg).includes(squeeze('URL fixed')));
    expect(fixed.name).toBe(rsa.name);
    expect(await page.$eval('pre.problems', (pre) => (pre as HTMLElement).hidden)).toBe(true);
    expect(await page.$eval('select[data-variable="keyExchange"]', (select) => (select as HTMLSelectElement).value)).toBe('rsa');
  }, 120_000);

  it('the other tabs, the matrix and the index', async () => {
    await page.click('button[data-target="mermaid-flowchart"]');
    const flowchart = await until((now) => now.name === 'https-browser--keyExchange-rsa.flowchart.mmd' && now.svg.includes('<svg'));
    expect(textOf(flowchart.svg)).toContain(squeeze('URL fixed'));
    // A column of the matrix opens its scenario.
    await page.click('table.matrix th:last-child button');
    const ecdhe = await until((now) => now.name === 'https-browser--keyExchange-ecdhe.flowchart.mmd' && now.svg.includes('<svg'));
    expect(textOf(ecdhe.svg)).toContain(squeeze('ephemeral ECDH'));
    await page.goto(server.url);
    await page.waitForSelector('ul.specs a');
    expect(await page.$$eval('ul.specs a', (links) => links.map((a) => [a.textContent, a.getAttribute('href')]))).toEqual([
      ['HTTPS in the browser (TLS 1.2)', `/spec?path=${encodeURIComponent(SPEC)}`],
      ['TCP connection establishment', `/spec?path=${encodeURIComponent('specs/tcp-handshake.yaml')}`],
    ]);
  }, 60_000);

  it('serves the images build would write by name, and nothing else, to its own address only', async () => {
    const get = (path: string, headers: Record<string, string> = {}) => fetch(new URL(path, server.url), { headers });
    const svg = await get('/out/https-browser.activity.puml.svg');
    expect([svg.status, svg.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);
    const png = await get('/out/https-browser.sequence.mmd.png');
    expect([png.status, png.headers.get('content-type')]).toEqual([200, 'image/png']);
    expect((await get('/out/https-browser.sequence.mmd')).status).toBe(200);
    for (const path of [
      '/out/..%2F..%2Fetc%2Fpasswd',
      '/out/%2e%2e/specs/https-browser.yaml',
      '/out/.protoflow-images.json',
      '/out/nothing.svg',
      '/specs/https-browser.yaml',
      '/../etc/passwd',
    ]) {
      expect((await get(path)).status, path).toBe(404);
    }
    const port = new URL(server.url).port;
    // fetch sets Host itself: node:http sends the one given, as a rebound name would arrive.
    const status = (path: string, host: string, method = 'GET') =>
      new Promise<number | undefined>((done, fail) => {
        const headers = host === '' ? {} : { host };
        request({ host: '127.0.0.1', port, path, method, headers, setHost: false }, (answer) => done(answer.resume().statusCode))
          .on('error', fail)
          .end();
      });
    expect(await status('/api/specs', `localhost:${port}`)).toBe(200);
    expect(await status('/api/specs', `127.0.0.1:${port}`)).toBe(200);
    // Another name for 127.0.0.1 (DNS rebinding) or another port: refused; no Host at all is refused by HTTP itself.
    for (const name of ['evil.example', `evil.example:${port}`, '127.0.0.1', `127.0.0.1:${Number(port) + 1}`]) {
      expect(await status('/api/specs', name), name).toBe(421);
    }
    expect(await status('/api/specs', '')).toBe(400);
    expect(await status('/api/specs', `127.0.0.1:${port}`, 'POST')).toBe(405);
  });
});
