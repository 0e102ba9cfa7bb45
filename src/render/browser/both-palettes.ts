import type { RenderOutcome } from '../renderer.js';
import type { BrowserTab } from './tab.js';

/** The colours an element may take from its palette. */
const COLOURS = ['fill', 'stroke', 'color', 'background-color', 'stop-color', 'fill-opacity', 'stroke-opacity', 'border-top-color', 'border-bottom-color'];
/** How far ahead the two drawings are searched for an element one of them has and the other not. */
const LOOKAHEAD = 64;

/** What the page sees, typed as far as the code below uses it (the project compiles without the DOM library). */
interface PageGlobals {
  DOMParser: new () => { parseFromString(text: string, type: 'image/svg+xml'): { documentElement: PageElement } };
  XMLSerializer: new () => { serializeToString(node: PageElement): string };
  CSS: { escape(text: string): string };
  getComputedStyle(element: PageElement): { getPropertyValue(name: string): string };
  document: {
    body: { appendChild(node: PageElement): void };
    importNode(node: PageElement, deep: boolean): PageElement;
    createElementNS(ns: string, name: string): PageElement;
  };
}
interface PageElement {
  tagName: string;
  attributes: Iterable<{ name: string; value: string }>;
  childNodes: Iterable<{ nodeType: number; nodeValue: string | null }>;
  classList: { add(name: string): void };
  textContent: string | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  appendChild(node: PageElement): void;
  id: string;
  remove(): void;
}

/**
 * One SVG holding both palettes of a diagram: its light drawing as it is, and a stylesheet that
 * gives each element its colours of the dark drawing under `@media (prefers-color-scheme: dark)`.
 * Both drawings are of the same source, so their layout is the same and only colours differ: the
 * elements are paired in document order (by tag, geometry and text, passing over one that only
 * one drawing has, such as PlantUML's dark background rectangle) and their computed colours
 * compared, so palettes set by attributes (PlantUML), by stylesheets (Mermaid) or inline all work.
 */
export async function withBothPalettes(tab: BrowserTab, light: string, dark: string): Promise<RenderOutcome> {
  const merged = await tab.page.evaluate(
    (light: string, dark: string, colours: string[], lookahead: number): { svg: string } | { problem: string } => {
      const g = globalThis as unknown as PageGlobals;
      // Attributes that carry colour: left out of what pairs the elements of the two drawings.
      const PAINT = new Set(['fill', 'stroke', 'style', 'color', 'stop-color', 'fill-opacity', 'stroke-opacity']);
      const SKIPPED = new Set(['style', 'title', 'desc', 'metadata']);
      interface Read {
        elements: PageElement[];
        signatures: string[];
        colours: string[][];
      }
      /** The drawing's elements, what pairs them, and their computed colours (read while it is on the page). */
      const read = (text: string): Read | undefined => {
        const root = new g.DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
        if (root.tagName !== 'svg') return undefined;
        const shown = g.document.importNode(root, true);
        g.document.body.appendChild(shown);
        try {
          const elements = [root, ...root.querySelectorAll('*')].filter((e) => !SKIPPED.has(e.tagName));
          const copies = [shown, ...shown.querySelectorAll('*')].filter((e) => !SKIPPED.has(e.tagName));
          const signatures = elements.map((e) => {
            const attributes = [...e.attributes]
              .filter((a) => !PAINT.has(a.name))
              .map((a) => `${a.name}=${a.value}`)
              .sort();
            const text = [...e.childNodes]
              .filter((n) => n.nodeType === 3)
              .map((n) => n.nodeValue ?? '')
              .join('');
            return `${e.tagName}|${attributes.join('|')}|${text}`;
          });
          const values = copies.map((e) => {
            const style = g.getComputedStyle(e);
            return colours.map((name) => style.getPropertyValue(name));
          });
          return { elements, signatures, colours: values };
        } finally {
          shown.remove();
        }
      };
      const day = read(light);
      const night = read(dark);
      if (!day || !night) return { problem: 'the drawing is not an SVG' };
      /** Dark declarations → the class that carries them. */
      const rules = new Map<string, string>();
      const mark = (i: number, j: number) => {
        const declarations = colours
          .map((name, k) => (day.colours[i]![k] !== night.colours[j]![k] ? `${name}:${night.colours[j]![k]}!important` : ''))
          .filter(Boolean)
          .join(';');
        if (declarations === '') return;
        let name = rules.get(declarations);
        if (name === undefined) rules.set(declarations, (name = `pf-dark-${rules.size}`));
        day.elements[i]!.classList.add(name);
      };
      const find = (list: string[], from: number, signature: string) => {
        for (let k = from; k < Math.min(list.length, from + lookahead); k++) if (list[k] === signature) return k;
        return -1;
      };
      let paired = 0;
      for (let i = 0, j = 0; i < day.signatures.length && j < night.signatures.length; ) {
        if (day.signatures[i] === night.signatures[j]) {
          mark(i++, j++);
          paired++;
          continue;
        }
        const inDark = find(night.signatures, j + 1, day.signatures[i]!);
        const inLight = find(day.signatures, i + 1, night.signatures[j]!);
        if (inDark >= 0 && (inLight < 0 || inDark - j <= inLight - i)) j = inDark;
        else if (inLight >= 0) i = inLight;
        else {
          i++;
          j++;
        }
      }
      // Drawings that are not the same layout cannot share one file: better no dark palette than a wrong one.
      if (paired < day.signatures.length * 0.9)
        return { problem: `the light and dark drawings differ in layout (${paired} of ${day.signatures.length} elements paired)` };
      const root = day.elements[0]!;
      // Under the root's id and last in the file, a rule outweighs the drawing's own `#diagram .part !important` ones too.
      const scope = root.id ? `#${g.CSS.escape(root.id)}` : 'svg';
      const style = g.document.createElementNS('http://www.w3.org/2000/svg', 'style');
      style.textContent = `@media (prefers-color-scheme: dark){${[...rules].map(([declarations, name]) => `${scope}.${name},${scope} .${name}{${declarations}}`).join('')}}`;
      root.appendChild(style);
      return { svg: new g.XMLSerializer().serializeToString(root) };
    },
    light,
    dark,
    COLOURS,
    LOOKAHEAD,
  );
  if ('problem' in merged) return { kind: 'failed', message: `cannot write the theme: auto SVG: ${merged.problem}` };
  return { kind: 'image', data: Buffer.from(merged.svg, 'utf8') };
}
