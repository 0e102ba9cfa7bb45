import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../src/render/browser/launch.js';
import { build } from '../src/project/build.js';
import { Project } from '../src/project/project.js';
import type { Theme } from '../src/shared/theme.js';
import { HOST } from './support/host.js';
import { ENGINE_RUNS } from './support/plantuml.js';
import { pngInfo, svgViewBox } from './support/images.js';
import { protoflow as runCli } from './support/cli.js';

/** What a reader sees of an image: its corner (the background) and how much of it is light or dark ink. */
interface Seen {
  corner: number;
  /** Share of pixels much darker than a light background / much lighter than a dark one. */
  darkInk: number;
  lightInk: number;
}

let browser: Browser;
beforeAll(async () => {
  const launched = await launchBrowser(HOST, 60_000);
  if ('problem' in launched) throw new Error(launched.problem.message);
  browser = launched.browser;
});
afterAll(() => browser?.close());

/** The image drawn as a page shows it, with the reader's colour scheme set to `scheme`; luminance 0–255. */
async function seen(image: Uint8Array, type: string, scheme: 'light' | 'dark'): Promise<Seen> {
  const page = await browser.newPage();
  try {
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
    // An SVG at the width of its viewBox (Mermaid's say 100%), as a wiki column shows it.
    const box = type === 'image/svg+xml' ? svgViewBox(Buffer.from(image).toString('utf8')) : undefined;
    return await page.evaluate(
      async (base64: string, type: string, box: { width: number; height: number } | undefined) => {
        const image = new Image();
        image.src = `data:${type};base64,${base64}`;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = Math.ceil(box?.width ?? image.naturalWidth);
        canvas.height = Math.ceil(box?.height ?? image.naturalHeight);
        const context = canvas.getContext('2d')!;
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        const luminance = (i: number) => 0.2126 * data[i]! + 0.7152 * data[i + 1]! + 0.0722 * data[i + 2]!;
        let darkInk = 0;
        let lightInk = 0;
        for (let i = 0; i < data.length; i += 4) {
          const l = luminance(i);
          if (l < 90) darkInk++;
          if (l > 170) lightInk++;
        }
        const pixels = data.length / 4;
        return { corner: luminance(0), darkInk: darkInk / pixels, lightInk: lightInk / pixels };
      },
      Buffer.from(image).toString('base64'),
      type,
      box,
    );
  } finally {
    await page.close();
  }
}

/** A light drawing: a light background with dark text and lines on it; a dark one the other way round. */
function expectReadable(view: Seen, palette: 'light' | 'dark') {
  if (palette === 'light') {
    expect(view.corner).toBeGreaterThan(230);
    expect(view.darkInk).toBeGreaterThan(0.005);
  } else {
    expect(view.corner).toBeLessThan(50);
    expect(view.lightInk).toBeGreaterThan(0.005);
    // Nearly all of it dark: no white boxes left from the light palette.
    expect(view.lightInk).toBeLessThan(0.35);
  }
}

async function drawn(theme: Theme, plantumlEngine: 'java' | 'browser', targets: (typeof ENGINE_RUNS)[number]['targets']) {
  const outDir = mkdtempSync(join(tmpdir(), `protoflow-theme-${theme}-`));
  // Colours of groups and blocks, notes, bars and dividers: every kind of thing a palette colours.
  const report = await build(
    new Project(HOST, { inputs: ['specs/oauth-device-flow.yaml'], outDir, targets, formats: ['svg', 'png'], drawing: { plantumlEngine, theme } }),
    { write: true },
  );
  expect(report.diagnostics).toEqual([]);
  return (name: string) => readFileSync(join(outDir, `oauth-device-flow${name}`));
}

describe.each(ENGINE_RUNS)('themes (PlantUML engine: $plantumlEngine)', ({ plantumlEngine, targets }) => {
  let auto: (name: string) => Buffer;
  let dark: (name: string) => Buffer;
  beforeAll(async () => {
    [auto, dark] = await Promise.all([drawn('auto', plantumlEngine, targets), drawn('dark', plantumlEngine, targets)]);
  });

  describe.each(targets.map((t) => [t.name, t.extension] as const))('%s', (_, extension) => {
    it('auto: one SVG that follows the reader: light on a light page, dark on a dark one', async () => {
      const svg = auto(`${extension}.svg`);
      expect(svg.toString('utf8')).toContain('@media (prefers-color-scheme: dark)');
      expectReadable(await seen(svg, 'image/svg+xml', 'light'), 'light');
      expectReadable(await seen(svg, 'image/svg+xml', 'dark'), 'dark');
    });

    it('auto: the PNG is the light one, whatever the reader prefers', async () => {
      const png = auto(`${extension}.png`);
      expectReadable(await seen(png, 'image/png', 'dark'), 'light');
    });

    it('dark: SVG and PNG in the dark palette', async () => {
      expectReadable(await seen(dark(`${extension}.svg`), 'image/svg+xml', 'light'), 'dark');
      expectReadable(await seen(dark(`${extension}.png`), 'image/png', 'light'), 'dark');
      expect(pngInfo(dark(`${extension}.png`))).toBeDefined();
    });
  });
});

describe('choosing a theme', () => {
  function project(config: string, spec = readFileSync('specs/tcp-handshake.yaml', 'utf8')) {
    const dir = mkdtempSync(join(tmpdir(), 'protoflow-theme-cli-'));
    mkdirSync(join(dir, 'specs'));
    writeFileSync(join(dir, 'specs/tcp-handshake.yaml'), spec);
    copyFileSync('specs/tcp-teardown.yaml', join(dir, 'specs/tcp-teardown.yaml'));
    writeFileSync(join(dir, 'protoflow.config.yaml'), `targets: [mermaid-sequence]\nformats: [source, svg]\n${config}`);
    return dir;
  }
  const themed = (dir: string) => readFileSync(join(dir, 'out/tcp-handshake.sequence.mmd.svg'), 'utf8').includes('prefers-color-scheme');

  it("takes the config's theme, a spec's own over it, and --theme over the config", async () => {
    const fromConfig = project('theme: auto\n');
    expect((await runCli(['build', 'specs/tcp-handshake.yaml'], fromConfig)).code).toBe(0);
    expect(themed(fromConfig)).toBe(true);

    const specSays = project('theme: auto\n', readFileSync('specs/tcp-handshake.yaml', 'utf8').replace('protoflow: 1\n', 'protoflow: 1\ntheme: light\n'));
    expect((await runCli(['build', 'specs/tcp-handshake.yaml'], specSays)).code).toBe(0);
    expect(themed(specSays)).toBe(false);

    const flag = project('theme: light\n');
    expect((await runCli(['build', '--theme', 'auto', 'specs/tcp-handshake.yaml'], flag)).code).toBe(0);
    expect(themed(flag)).toBe(true);
  });

  it('draws an image again when its theme changes, and only then', async () => {
    const dir = project('theme: light\n');
    await runCli(['build', 'specs/tcp-handshake.yaml'], dir);
    expect((await runCli(['build', 'specs/tcp-handshake.yaml'], dir)).stdout).toContain('0 file(s) written, 3 unchanged');
    expect((await runCli(['build', '--theme', 'dark', 'specs/tcp-handshake.yaml'], dir)).stdout).toContain('1 file(s) written, 2 unchanged');
  });

  it('refuses a theme it does not know, naming the ones it does', async () => {
    const result = await runCli(['build', '--theme', 'drak'], project(''));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown theme "drak" (--theme: light, dark, auto)');
  });
});
