import type { Browser } from 'puppeteer-core';
import type { Host } from '../../shared/host.js';
import type { RenderOutcome } from '../renderer.js';
import { findBrowser } from './find-browser.js';

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

export type Launch = { browser: Browser; path: string } | { problem: Extract<RenderOutcome, { kind: 'unavailable' | 'timeout' | 'failed' }> };

/** Finds a browser (see find-browser.ts) and starts it headless, within `timeoutMs`; or says why it cannot. */
export async function launchBrowser(host: Host, timeoutMs: number): Promise<Launch> {
  const found = await findBrowser(host.cwd, host.env);
  if ('problem' in found) return { problem: { kind: 'unavailable', message: found.problem } };
  try {
    const { default: puppeteer } = await import('puppeteer-core');
    // Chromium refuses to run as root with its sandbox on; elsewhere the sandbox stays.
    const asRoot = process.getuid?.() === 0;
    const browser = await puppeteer.launch({
      executablePath: found.path,
      headless: true,
      // Talk over pipes, not a socket: when protoflow dies, even by SIGKILL, the pipes close and
      // the browser exits with it instead of running on for ever.
      pipe: true,
      // Puppeteer's own handlers would close the browser on Ctrl-C or SIGTERM and keep protoflow
      // running into "Target closed" errors; without them the signal ends protoflow (or build
      // --watch's own handler runs), and the browser ends with it.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      args: [...BROWSER_ARGS, ...(asRoot ? ['--no-sandbox'] : [])],
      timeout: timeoutMs,
      protocolTimeout: timeoutMs * 2,
    });
    return { browser, path: found.path };
  } catch (cause) {
    // Puppeteer kills a browser that does not come up in time.
    if (cause instanceof Error && cause.name === 'TimeoutError') {
      return { problem: { kind: 'timeout', message: `the browser (${found.path}) did not start within ${timeoutMs / 1000} s and was stopped` } };
    }
    // Puppeteer's first line says only that the browser did not start; the browser's own first
    // words (a missing library, no usable sandbox) come on the lines after it.
    const [first = '', ...rest] = cause instanceof Error ? cause.message.split('\n') : [String(cause)];
    const said = rest.map((line) => line.trim()).find((line) => line !== '' && !line.startsWith('TROUBLESHOOTING'));
    const reason = said ? `${first.replace(/!$/, '')}: ${said}` : first;
    return { problem: { kind: 'failed', message: `cannot start the browser (${found.path}): ${reason}` } };
  }
}
