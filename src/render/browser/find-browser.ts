import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Host } from '../../shared/host.js';
import { isExecutableFile } from '../../shared/find-program.js';
import { CHROMIUM, installHint } from '../../shared/install-hints.js';

/**
 * Chrome for Testing's headless shell, for machines where no system browser can be installed, put
 * in Puppeteer's cache (where protoflow looks) rather than the working folder, which would fill a
 * repository with 100 MB.
 */
function headlessShellCommand(platform: NodeJS.Platform): string {
  const cache = platform === 'win32' ? '%USERPROFILE%\\.cache\\puppeteer' : '~/.cache/puppeteer';
  return `npx @puppeteer/browsers install chrome-headless-shell@stable --path ${cache}`;
}

function browserInstallHint(platform: NodeJS.Platform): string {
  return `${installHint(CHROMIUM)}, or run ${headlessShellCommand(platform)}, or set PUPPETEER_EXECUTABLE_PATH to a Chrome, Chromium or Edge binary`;
}

/** Where Linux distributions, snap, macOS and Windows put Chromium, Chrome and Edge, in order of preference. */
export function usualPlaces(platform: NodeJS.Platform, env: Host['env']): string[] {
  if (platform === 'darwin') {
    const apps = ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Chromium.app/Contents/MacOS/Chromium', 'Microsoft Edge.app/Contents/MacOS/Microsoft Edge'];
    return ['/Applications', join(env.HOME ?? homedir(), 'Applications')].flatMap((folder) => apps.map((app) => join(folder, app)));
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((root): root is string => Boolean(root));
    const exes = ['Google\\Chrome\\Application\\chrome.exe', 'Chromium\\Application\\chrome.exe', 'Microsoft\\Edge\\Application\\msedge.exe'];
    return exes.flatMap((exe) => roots.map((root) => `${root}\\${exe}`));
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/google-chrome',
    '/opt/google/chrome/chrome',
    '/snap/bin/chromium',
    '/usr/bin/microsoft-edge-stable',
    '/usr/bin/microsoft-edge',
  ];
}

/**
 * Folders where @puppeteer/browsers may have installed a browser: PUPPETEER_CACHE_DIR, Puppeteer's
 * own cache, and the project (`npx @puppeteer/browsers install` writes into the working folder).
 */
export function browserCaches(cwd: string, env: Host['env']): string[] {
  return [...new Set([env.PUPPETEER_CACHE_DIR, join(env.HOME ?? homedir(), '.cache', 'puppeteer'), cwd].filter((dir): dir is string => Boolean(dir)))];
}

/** Chrome's headless shell first (smallest and quickest to start), then Chrome, then Chromium. */
const CACHED_PREFERENCE = ['chrome-headless-shell', 'chrome', 'chromium'];

/** The newest usable browser installed by @puppeteer/browsers in one of `caches`. */
export async function cachedBrowser(caches: readonly string[]): Promise<string | undefined> {
  // Loaded only when no system browser was found: it is a larger module than the rest of this search.
  const { getInstalledBrowsers } = await import('@puppeteer/browsers');
  for (const cacheDir of caches) {
    const installed = await getInstalledBrowsers({ cacheDir }).catch(() => []);
    const usable = installed
      .filter((b) => CACHED_PREFERENCE.includes(b.browser) && isExecutableFile(b.executablePath))
      .sort(
        (a, b) => CACHED_PREFERENCE.indexOf(a.browser) - CACHED_PREFERENCE.indexOf(b.browser) || b.buildId.localeCompare(a.buildId, 'en', { numeric: true }),
      );
    if (usable[0]) return usable[0].executablePath;
  }
  return undefined;
}

/**
 * The browser Mermaid, PNGs and (without Java) PlantUML are drawn in: PUPPETEER_EXECUTABLE_PATH
 * when set, else the first of the usual places, else one installed by @puppeteer/browsers.
 * protoflow never downloads a browser itself.
 */
export async function findBrowser(
  cwd: string,
  env: Host['env'],
  platform: NodeJS.Platform = process.platform,
): Promise<{ path: string } | { problem: string }> {
  const chosen = env.PUPPETEER_EXECUTABLE_PATH;
  if (chosen) {
    if (isExecutableFile(chosen)) return { path: chosen };
    return { problem: `drawing images needs a browser, and PUPPETEER_EXECUTABLE_PATH (${chosen}) is not an executable file; ${browserInstallHint(platform)}` };
  }
  const places = usualPlaces(platform, env);
  const path = places.find(isExecutableFile) ?? (await cachedBrowser(browserCaches(cwd, env)));
  if (path) return { path };
  const looked =
    places.length > 3 ? `${places.slice(0, 3).join(', ')} and ${places.length - 3} other places` : places.join(', ') || 'no usual place on this system';
  return {
    problem: `drawing images needs a browser (Chrome, Chromium or Edge), and none was found (looked in ${looked}, and for browsers installed by @puppeteer/browsers); ${browserInstallHint(platform)}`,
  };
}
