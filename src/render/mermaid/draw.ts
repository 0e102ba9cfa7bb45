import { isScalar, parseDocument } from 'yaml';
import type { BrowserTab } from '../browser/tab.js';
import type { RenderRequest } from '../renderer.js';
import { BACKGROUND } from '../../shared/theme.js';
import { MERMAID_DIST, MERMAID_ENTRY } from './assets.js';
import { withFasterGetConfig } from './faster-config.js';
import { withLinesMeasuredTogether } from './lines-measured-together.js';
import { withPlainTextSanitizedQuickly } from './plain-text-sanitize.js';
import { withTitleLines } from './title-lines.js';
import { withWholeCharacterBreaks } from './whole-characters.js';

/**
 * Settings every diagram is drawn with; the target's configuration comes on top. Liberation Sans
 * has Arial's metrics, so the text Mermaid measures here is the text a viewer with Arial draws.
 */
export const MERMAID_BASE_CONFIG = {
  startOnLoad: false,
  securityLevel: 'strict',
  fontFamily: 'arial, "Liberation Sans", sans-serif',
  handDrawnSeed: 1,
} as const;

/**
 * What the page sees, typed as far as the code below uses it (the project compiles without the
 * DOM library, so that Node code cannot use browser globals by mistake).
 */
interface PageGlobals {
  protoflowModules: {
    mermaid: {
      default: {
        initialize(config: Record<string, unknown>): void;
        mermaidAPI: { getConfig(): { maxTextSize?: number } };
        render(id: string, text: string, container?: unknown): Promise<{ svg: string }>;
      };
    };
  };
  document: {
    getElementById(id: string): PageElement | null;
    createTreeWalker(root: PageElement, show: number): { nextNode(): PageText | null };
  };
  XMLSerializer: new () => { serializeToString(node: PageElement): string };
  DOMParser: new () => { parseFromString(text: string, type: 'text/html'): { body: PageElement } };
}
interface PageText {
  nodeValue: string | null;
  parentElement: PageElement | null;
}
interface PageElement {
  closest(selector: string): PageElement | null;
  innerHTML: string;
  style: Record<string, string>;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  id: string;
  textContent: string | null;
  viewBox: { baseVal: { width: number; height: number } };
  remove(): void;
}

/** The changes each file of Mermaid is served with (each module says why), in order. */
export const MERMAID_CHANGES = [withFasterGetConfig, withWholeCharacterBreaks, withTitleLines, withLinesMeasuredTogether, withPlainTextSanitizedQuickly];

/** `code`, a file of Mermaid's browser bundle, as the page is served it: through `changes`, in order. */
export function servedMermaid(code: string, changes: readonly ((code: string) => string)[] = MERMAID_CHANGES): string {
  return changes.reduce((served, change) => change(served), code);
}

export type Drawn = { ok: true; svg: string; width: number; height: number } | { ok: false; message: string; line?: number };

/** Mermaid's SVG of one diagram as it will be written, and its size; or Mermaid's complaint. */
export async function drawMermaid(tab: BrowserTab, request: RenderRequest, id: string): Promise<Drawn> {
  const { title, source } = withStandInTitle(request.source);
  await tab.loadModule('mermaid', MERMAID_DIST, MERMAID_ENTRY, { transform: servedMermaid });
  return tab.page.evaluate(
    async (source: string, config: Record<string, unknown>, id: string, title: string | null, background: string): Promise<Drawn> => {
      const g = globalThis as unknown as PageGlobals;
      const mermaid = g.protoflowModules.mermaid.default;
      /**
       * SVG-text labels keep entity codes as written (`&#40;`, mermaid-js/mermaid#7015), so decode
       * them in every label. Not in the title, which comes from front matter as plain text. Mermaid
       * wraps a long label into several tspans after escaping, which can cut a code in two
       * (`&#3` | `7;`): codes are decoded across the text nodes of each label, the character going
       * to the node where its code began.
       */
      const decodeLabelEntities = (g: PageGlobals, svg: PageElement) => {
        const SHOW_TEXT = 4;
        const walker = g.document.createTreeWalker(svg, SHOW_TEXT);
        const labels = new Map<PageElement, PageText[]>();
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const label = node.parentElement?.closest('text');
          if (!label || label.closest('.flowchartTitleText')) continue;
          labels.set(label, [...(labels.get(label) ?? []), node]);
        }
        for (const nodes of labels.values()) {
          const texts = nodes.map((node) => node.nodeValue ?? '');
          const whole = texts.join('');
          const owner = texts.flatMap((text, i) => Array.from({ length: text.length }, () => i));
          const parts = texts.map(() => '');
          const add = (offset: number, text: string) => (parts[owner[offset]!] += text);
          let at = 0;
          for (const found of whole.matchAll(/&#(\d+);/g)) {
            const code = Number(found[1]);
            // Only characters XML can hold: a code for anything else stays as written.
            if (code > 0x10ffff || (code < 0x20 && code !== 9 && code !== 10 && code !== 13)) continue;
            for (; at < found.index; at++) add(at, whole.charAt(at));
            add(found.index, String.fromCodePoint(code));
            at = found.index + found[0].length;
          }
          for (; at < whole.length; at++) add(at, whole.charAt(at));
          nodes.forEach((node, i) => {
            node.nodeValue = parts[i]!;
          });
        }
      };
      mermaid.initialize(config);
      // Mermaid draws an error picture instead of a diagram past this size; report it instead.
      const limit = mermaid.mermaidAPI.getConfig().maxTextSize;
      if (typeof limit === 'number' && source.length > limit) {
        return { ok: false, message: `Maximum text size in diagram exceeded: ${source.length} characters, Mermaid's limit is ${limit}` };
      }
      const container = g.document.getElementById('container');
      if (!container) return { ok: false, message: 'the rendering page lost its container' };
      try {
        const { svg } = await mermaid.render(id, source, container);
        // Parsed as a page would parse it, into a document never laid out: editing and measuring
        // the finished SVG costs no second layout of it.
        const element = new g.DOMParser().parseFromString(svg, 'text/html').body.querySelector('svg');
        if (!element) return { ok: false, message: 'Mermaid returned no SVG' };
        element.style.backgroundColor = background;
        if (config.htmlLabels === false) decodeLabelEntities(g, element);
        // Mermaid runs the front matter's title through its HTML sanitiser, which eats `<b>`,
        // `<script>` or `<&icon>` written as text: the title is drawn as the author wrote it.
        const titleText = element.querySelector('.flowchartTitleText');
        if (title !== null && titleText) {
          // One tspan per line (see title-lines.ts).
          const lines = [...titleText.querySelectorAll('tspan')];
          const written = title.split('\n');
          if (lines.length === written.length) lines.forEach((line, i) => (line.textContent = written[i]!));
          else titleText.textContent = title;
        }
        // Sequence diagrams number lifelines, and the parts of an actor's stick figure, with a
        // counter that runs on from diagram to diagram in a page: number them from 0 under the
        // diagram's id, so the SVG does not depend on what was drawn before it and ids stay unique
        // when several diagrams share a wiki page.
        const lifelines = new Map<string, number>();
        for (const part of element.querySelectorAll('[id]')) {
          const counted = /^(actor|root-|actor-man-torso|actor-man-arms)(\d+)$/.exec(part.id);
          if (!counted) continue;
          const [, kind, number] = counted as unknown as [string, string, string];
          if (!lifelines.has(number)) lifelines.set(number, lifelines.size);
          part.id = `${id}-${kind}${lifelines.get(number)}`;
        }
        const text = new g.XMLSerializer().serializeToString(element);
        const { width, height } = element.viewBox.baseVal;
        return { ok: true, svg: text, width, height };
      } catch (cause) {
        const message = cause instanceof Error ? cause.message : String(cause);
        const line = /on line (\d+)/.exec(message)?.[1];
        return { ok: false, message, ...(line ? { line: Number(line) } : {}) };
      } finally {
        container.innerHTML = '';
        g.document.getElementById(`d${id}`)?.remove();
      }
    },
    source,
    { ...MERMAID_BASE_CONFIG, ...request.config, theme: request.dark ? 'dark' : 'default' },
    id,
    title,
    // `white` as written before themes, so that light SVGs keep their bytes.
    request.dark ? BACKGROUND.dark : 'white',
  );
}

/**
 * The `title` of a diagram's YAML front matter (`---` lines at the top), as YAML reads it, and the
 * source Mermaid is given. Mermaid's sanitiser deletes a title that looks like a tag
 * (`<classDef c …`), and with nothing left it draws no title element to put the author's title in;
 * so Mermaid gets a stand-in of the same length, each character that its sanitiser or its rewrites
 * of the source act on replaced by a letter, and the page then writes the author's title into it.
 */
function withStandInTitle(source: string): { title: string | null; source: string } {
  const found = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(source);
  if (!found) return { title: null, source };
  try {
    const frontMatter = parseDocument(found[1]!);
    const node = frontMatter.get('title', true);
    if (frontMatter.errors.length > 0 || !isScalar(node) || typeof node.value !== 'string' || !node.range) return { title: null, source };
    // In place of the title's own text, so that Mermaid's line numbers stay those of the source.
    const standIn = JSON.stringify(node.value.replace(/[<>&="'#%;\\]/g, 'n'));
    const [start, end] = node.range.map((offset) => offset + found[0].indexOf(found[1]!)) as [number, number];
    return { title: node.value, source: `${source.slice(0, start)}${standIn}${source.slice(end)}` };
  } catch {
    return { title: null, source };
  }
}
