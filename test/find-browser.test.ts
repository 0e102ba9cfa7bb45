import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserCaches, cachedBrowser, findBrowser, usualPlaces } from '../src/render/browser/find-browser.js';
import { findOnPath } from '../src/shared/find-program.js';
import { CHROMIUM, installHint, JAVA, systemPackageManager } from '../src/shared/install-hints.js';
import { findJava } from '../src/render/plantuml/find-java.js';

/** Any executable file stands in for a browser here: these tests find browsers, they start none. */
const CHROMIUM_BINARY = process.execPath;

/** A browser as `npx @puppeteer/browsers install BROWSER@BUILD` leaves it in `cache` (a link to an executable). */
function install(cache: string, browser: string, build: string, folder: string, binary: string): string {
  const dir = join(cache, browser, `linux-${build}`, folder);
  mkdirSync(dir, { recursive: true });
  symlinkSync(CHROMIUM_BINARY, join(dir, binary));
  return join(dir, binary);
}

describe('finding a browser', () => {
  it('PUPPETEER_EXECUTABLE_PATH wins, and one that is not there is an error that says how to get one', async () => {
    expect(await findBrowser('/', { PUPPETEER_EXECUTABLE_PATH: CHROMIUM_BINARY })).toEqual({ path: CHROMIUM_BINARY });
    const missing = await findBrowser('/', { PUPPETEER_EXECUTABLE_PATH: '/nowhere/chrome' });
    expect('problem' in missing && missing.problem).toMatch(
      /^drawing images needs a browser, and PUPPETEER_EXECUTABLE_PATH \(\/nowhere\/chrome\) is not an executable file; .*npx @puppeteer\/browsers install chrome-headless-shell@stable --path ~\/\.cache\/puppeteer/,
    );
  });

  it('looks where each system installs Chrome, Chromium and Edge', () => {
    expect(usualPlaces('linux', {})).toContain('/usr/bin/chromium');
    expect(usualPlaces('linux', {})).toContain('/usr/bin/microsoft-edge-stable');
    expect(usualPlaces('darwin', { HOME: '/Users/ana' })).toContain('/Users/ana/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    expect(usualPlaces('win32', { PROGRAMFILES: 'C:\\Program Files', LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' })).toEqual([
      'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
      'C:\\Users\\ana\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe',
      'C:\\Program Files\\Chromium\\Application\\chrome.exe',
      'C:\\Users\\ana\\AppData\\Local\\Chromium\\Application\\chrome.exe',
      'C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe',
      'C:\\Users\\ana\\AppData\\Local\\Microsoft\\Edge\\Application\\msedge.exe',
    ]);
  });

  it('finds a browser @puppeteer/browsers installed: the headless shell first, the newest build', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'protoflow-browsers-'));
    install(cache, 'chrome', '140.0.7339.80', 'chrome-linux64', 'chrome');
    install(cache, 'chrome-headless-shell', '131.0.6778.85', 'chrome-headless-shell-linux64', 'chrome-headless-shell');
    const newest = install(cache, 'chrome-headless-shell', '140.0.7339.80', 'chrome-headless-shell-linux64', 'chrome-headless-shell');
    expect(await cachedBrowser([join(cache, 'nothing-here'), cache])).toBe(newest);
    // With no browser in the usual places (none of Windows' exist here), the project folder's cache is used.
    expect(await findBrowser(cache, { HOME: join(cache, 'home') }, 'win32')).toEqual({ path: newest });
    expect(browserCaches('/project', { HOME: '/home/ana', PUPPETEER_CACHE_DIR: '/cache' })).toEqual(['/cache', '/home/ana/.cache/puppeteer', '/project']);
  });

  it('with no browser anywhere, says where it looked and how to install one', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'protoflow-no-browser-'));
    const windows = { HOME: empty, PROGRAMFILES: 'C:\\Program Files', LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' };
    expect(await findBrowser(empty, windows, 'win32')).toEqual({
      problem:
        'drawing images needs a browser (Chrome, Chromium or Edge), and none was found (looked in C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe, C:\\Users\\ana\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe, C:\\Program Files\\Chromium\\Application\\chrome.exe and 3 other places, and for browsers installed by @puppeteer/browsers); ' +
        `${installHint(CHROMIUM)}, or run npx @puppeteer/browsers install chrome-headless-shell@stable --path %USERPROFILE%\\.cache\\puppeteer, or set PUPPETEER_EXECUTABLE_PATH to a Chrome, Chromium or Edge binary`,
    });
    expect(await findBrowser(empty, { HOME: empty }, 'win32')).toEqual({
      problem: expect.stringContaining('(looked in no usual place on this system, and for browsers installed by @puppeteer/browsers)'),
    });
  });
});

describe('finding Java', () => {
  it('on Windows, java.exe (PATHEXT) on PATH and in JAVA_HOME', () => {
    const dir = mkdtempSync(join(tmpdir(), 'protoflow-java-'));
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'java.exe'), '');
    chmodSync(join(dir, 'bin', 'java.exe'), 0o755);
    expect(findOnPath('java', { PATH: join(dir, 'bin'), PATHEXT: '.COM;.EXE' }, 'win32')).toBe(join(dir, 'bin', 'java.exe'));
    expect(findOnPath('java', { PATH: join(dir, 'bin') }, 'linux')).toBeUndefined();
    expect(findJava({ JAVA_HOME: dir, PATHEXT: '.EXE' }, 'win32')).toEqual({ path: join(dir, 'bin', 'java.exe') });
  });

  it('on macOS, /usr/bin/java with no Java behind it (java_home fails) is no Java', () => {
    const found = findJava({ PATH: '/usr/bin' }, 'darwin');
    expect(found).toEqual({
      problem: expect.stringMatching(
        /^PlantUML needs Java, and \/usr\/bin\/java is macOS's stub with no Java behind it; install it with: brew install --cask temurin/,
      ),
    });
  });
});

describe('install hints name the package manager of the system', () => {
  const linux = (release: string) => ({ platform: 'linux' as const, osRelease: () => release });
  it.each([
    ['ID=debian', 'sudo apt-get install -y chromium', 'sudo apt-get install -y default-jre-headless'],
    ['ID=ubuntu\nID_LIKE=debian', 'sudo apt-get install -y chromium', 'sudo apt-get install -y default-jre-headless'],
    ['ID="fedora"', 'sudo dnf install -y chromium', 'sudo dnf install -y java-21-openjdk-headless'],
    ['ID="rocky"\nID_LIKE="rhel centos fedora"', 'sudo dnf install -y chromium', 'sudo dnf install -y java-21-openjdk-headless'],
    ['ID=arch', 'sudo pacman -S chromium', 'sudo pacman -S jre-openjdk-headless'],
    ['ID=alpine', 'sudo apk add chromium', 'sudo apk add openjdk21-jre-headless'],
    ['ID="opensuse-tumbleweed"\nID_LIKE="opensuse suse"', 'sudo zypper install -y chromium', 'sudo zypper install -y java-21-openjdk-headless'],
  ])('%s', (release, chromium, java) => {
    expect(installHint(CHROMIUM, linux(release))).toBe(`install it with: ${chromium}`);
    expect(installHint(JAVA, linux(release))).toBe(`install it with: ${java}`);
  });

  it('macOS, Windows and an unknown Linux', () => {
    const none = () => '';
    expect(installHint(JAVA, { platform: 'darwin', osRelease: none })).toBe('install it with: brew install --cask temurin');
    expect(installHint(CHROMIUM, { platform: 'win32', osRelease: none })).toBe('install it with: winget install Google.Chrome');
    expect(installHint(CHROMIUM, linux('ID=gentoo'))).toBe("install Chromium with your system's package manager");
    expect(systemPackageManager(linux('ID=debian'))).toBe('apt');
  });
});
