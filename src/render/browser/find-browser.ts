import { isExecutableFile } from '../find-program.js';

export const BROWSER_INSTALL_HINT =
  'install it with: sudo apt-get install -y chromium (or set PUPPETEER_EXECUTABLE_PATH to a Chrome or Chromium binary)';

/** Where Debian, Ubuntu, Fedora, snap and macOS put Chromium or Chrome. */
const USUAL_PLACES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/**
 * The browser Mermaid and every PNG are drawn in: PUPPETEER_EXECUTABLE_PATH when set, else the first of the usual
 * places. Puppeteer's own Chrome download is not used (see .puppeteerrc.cjs).
 */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): { path: string } | { problem: string } {
  const chosen = env.PUPPETEER_EXECUTABLE_PATH;
  if (chosen) {
    if (isExecutableFile(chosen)) return { path: chosen };
    return { problem: `Mermaid diagrams and PNG images need Chromium, and PUPPETEER_EXECUTABLE_PATH (${chosen}) is not an executable file; ${BROWSER_INSTALL_HINT}` };
  }
  const path = USUAL_PLACES.find(isExecutableFile);
  if (path) return { path };
  return { problem: `Mermaid diagrams and PNG images need Chromium, which was not found (looked in ${USUAL_PLACES.slice(0, 4).join(', ')} and others); ${BROWSER_INSTALL_HINT}` };
}
