import type { EngineName } from '../targets/target.js';
import type { Host } from '../shared/host.js';
import type { BrowserPool } from './browser/pool.js';
import type { Theme } from '../shared/theme.js';
import type { PngPaletteKind } from './png-palette.js';

/** The image formats a build can ask for, besides the diagram source itself. */
export type ImageFormat = 'svg' | 'png';

export type { EngineName } from '../targets/target.js';

/**
 * What one render came to. Renderers never throw: a broken diagram, a missing program and a hung
 * one are all answers the build turns into diagnostics.
 */
export type RenderOutcome =
  | { kind: 'image'; data: Uint8Array }
  /** The renderer refused this diagram; `line` is 1-based in the diagram source when known. */
  | { kind: 'rejected'; message: string; line?: number }
  /** The program the renderer needs is not installed; the message says how to install it. */
  | { kind: 'unavailable'; message: string }
  /** The render took longer than the deadline; the renderer was killed. */
  | { kind: 'timeout'; message: string }
  /** The renderer crashed or answered something that is not an image. */
  | { kind: 'failed'; message: string }
  /** Not attempted: the renderer was closed first (after a timeout elsewhere, say). */
  | { kind: 'cancelled' };

export interface RenderRequest {
  /** Unique to the diagram and stable between builds (its output name): ids inside the image derive from it. */
  name: string;
  source: string;
  /** Every format wanted from this source: one render can serve several. */
  formats: readonly ImageFormat[];
  /** Engine options a target adds (Mermaid configuration for flowcharts, for example). */
  config: Readonly<Record<string, unknown>>;
  /** Drawn in the dark palette (default light). */
  dark?: boolean;
}

/** A running renderer: processes start on the first render and stop on `close`. */
export interface Renderer {
  render(request: RenderRequest): Promise<Map<ImageFormat, RenderOutcome>>;
  /** The PNG of an SVG this renderer drew: the same image `render` gives when asked for both at once. */
  png(svg: Uint8Array): Promise<RenderOutcome>;
  close(): Promise<void>;
}

/** How PlantUML is drawn: `java` in one warm JVM, `browser` with @plantuml/core in Chromium, `auto` Java when found, else the browser. */
export const PLANTUML_ENGINES = ['auto', 'java', 'browser'] as const;
export type PlantUmlEngine = (typeof PLANTUML_ENGINES)[number];

/** The user's choices of how images are drawn (flags or config), as opposed to what is drawn. */
export interface DrawingChoices {
  plantumlEngine: PlantUmlEngine;
  /** The theme of a spec that names none (default light). */
  theme?: Theme;
}

export const DEFAULT_DRAWING: DrawingChoices = { plantumlEngine: 'auto', theme: 'light' };

export type PlantUmlDrawer = 'java' | 'browser';

/** The choices with `auto` decided once (see resolveDrawing), so every image of a batch is keyed and drawn the same way. */
export interface ResolvedDrawing extends DrawingChoices {
  plantumlDrawer: PlantUmlDrawer;
  /** How PNGs are given a palette here (see png-palette.ts). */
  pngPalette: PngPaletteKind;
}

/** Everything besides the source that decides the bytes of an image. */
export type Fingerprint = Record<string, string | number | boolean>;

export interface RendererSettings {
  /** Milliseconds each step of a render may take: a renderer's start, drawing a diagram, drawing its PNG. */
  timeoutMs: number;
  /** The build's one Chromium, shared by every engine that draws in it. */
  browser: BrowserPool;
  drawing: ResolvedDrawing;
  /** Where Java is looked for. */
  host: Host;
}

export interface Engine {
  name: EngineName;
  /** For messages: "PlantUML", "Mermaid". */
  label: string;
  /**
   * What decides the bytes of an image besides its source (renderer versions, the options the
   * engine always passes), for each way the engine may draw with these choices: the first is the
   * way it draws now, and an image drawn any of these ways is current. Read from files and PATH,
   * so the cache never starts a renderer.
   */
  fingerprints(drawing: ResolvedDrawing): Fingerprint[];
  start(settings: RendererSettings): Renderer;
}
