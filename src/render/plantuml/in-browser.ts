import type { BrowserTab } from '../browser/tab.js';
import { moduleUrl } from '../browser/tab.js';
import { packageDir, packageVersion } from '../packages.js';
import type { RenderOutcome } from '../renderer.js';
import { BACKGROUND } from '../../shared/theme.js';

const CORE = '@plantuml/core';
/** The name the engine's files are served under in a tab. */
const MODULE = 'plantuml';

/** The version of PlantUML compiled to JavaScript, read without starting anything. */
export function plantUmlCoreVersion(): string {
  return packageVersion(CORE);
}

/** What the page sees, typed as far as the code below uses it (the project compiles without the DOM library). */
interface PageGlobals {
  protoflowModules: {
    plantuml: {
      renderToString(lines: string[], done: (svg: string) => void, failed: (message: unknown) => void, options: { maxSvgSize: number; dark: boolean }): void;
    };
  };
  DOMParser: new () => {
    parseFromString(
      text: string,
      type: 'image/svg+xml',
    ): { querySelectorAll(selector: string): Iterable<{ textContent: string | null; getAttribute(name: string): string | null }> };
  };
}

type Drawn = { svg: string } | { rejected: string; line?: number } | { failed: string };

/**
 * PlantUML's SVG drawn by @plantuml/core (the same PlantUML, compiled to JavaScript) in a tab of
 * the build's Chromium: no Java needed. The engine asks for its optional scripts (themes, emoji,
 * OpenIconic sprites) by URL; the tab serves them from the package and refuses everything else, so
 * a diagram can load nothing from the network or the disk, as with the JVM's SANDBOX profile.
 */
export async function drawPlantUmlInBrowser(tab: BrowserTab, source: string, dark: boolean): Promise<RenderOutcome> {
  // The engine loads its optional scripts from PLANTUML_STDLIB_BASE; Graphviz in JavaScript must be
  // there before the engine (sequence and activity diagrams do not use it).
  await tab.loadModule(MODULE, packageDir(CORE), 'plantuml.js', { globals: { PLANTUML_STDLIB_BASE: moduleUrl(MODULE, '') }, scripts: ['viz-global.js'] });
  const drawn = await tab.page.evaluate(
    (source: string, dark: boolean): Promise<Drawn> =>
      new Promise((resolve) => {
        const g = globalThis as unknown as PageGlobals;
        g.protoflowModules.plantuml.renderToString(
          source.split(/\r\n|\r|\n/),
          (svg) => {
            // A diagram PlantUML refuses comes back as its error picture: a version line, then
            // `[From textarea (line N) ]`, the source, and the complaint in red.
            const texts = [...new g.DOMParser().parseFromString(svg, 'image/svg+xml').querySelectorAll('svg > g > text')];
            const where = texts.map((t) => /^\[From textarea \(line (\d+)\) \]$/.exec(t.textContent ?? '')).find(Boolean);
            if (!(texts[0]?.textContent ?? '').startsWith('PlantUML version') || !where) return resolve({ svg });
            const complaint = texts
              .filter((t) => t.getAttribute('fill') === '#FF0000')
              .map((t) => (t.textContent ?? '').trim())
              .join(' ');
            resolve({ rejected: complaint || 'PlantUML could not draw this diagram', line: Number(where[1]) });
          },
          (message) => resolve({ failed: String(message) }),
          // The JVM draws SVGs of any size; by default the engine refuses those over 8,192 pixels.
          { maxSvgSize: 0, dark },
        );
      }),
    source,
    dark,
  );
  if ('failed' in drawn) return { kind: 'failed', message: `PlantUML (${CORE}) failed: ${drawn.failed}` };
  if ('rejected' in drawn) return { kind: 'rejected', message: drawn.rejected, ...(drawn.line !== undefined ? { line: drawn.line } : {}) };
  return { kind: 'image', data: Buffer.from(withBackground(drawn.svg, BACKGROUND[dark ? 'dark' : 'light']), 'utf8') };
}

/** The JVM's SVGs have a background; the JavaScript engine's are transparent, unreadable on a page of the other palette. */
function withBackground(svg: string, colour: string): string {
  return svg.replace(/^<svg\b(?![^>]*\bstyle=)/, `<svg style="background:${colour}"`);
}
