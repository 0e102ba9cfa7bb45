import { inside, type NamedPath } from '../shared/host.js';
import { writeFileAtomic } from '../shared/write-atomic.js';
import { DiagnosticCodes, error, failureReason, warning, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import { imageName, isCurrent, renderKey, type ImageKeys, type ImageManifest } from './cache.js';
import { ENGINES } from './engines.js';
import type { EngineName, Fingerprint, ImageFormat, RenderOutcome, ResolvedDrawing } from './renderer.js';
import { BrowserPool } from './browser/pool.js';
import type { RenderSession } from './session.js';
import type { Theme } from '../shared/theme.js';
import { xmlProblem } from './well-formed.js';

/** One diagram source to draw in one or more formats. */
export interface ImageJob {
  /** The source's file name in the output folder; images are named `<name>.svg`, `<name>.png`. */
  name: string;
  source: string;
  engine: EngineName;
  config: Readonly<Record<string, unknown>>;
  formats: readonly ImageFormat[];
  theme: Theme;
  /** The spec the diagram comes from: where a renderer's refusal is reported. */
  origin: Span;
}

export interface RenderImagesOptions {
  outDir: NamedPath;
  /** Read to skip current images, updated with every image drawn or failed. */
  manifest: ImageManifest;
  /** Draw every image even when the manifest says it is current. */
  force?: boolean;
  /** The renderers to draw with: the caller starts and closes them (`build --watch` keeps them warm between builds). */
  session: RenderSession;
  /** Draw every SVG of the batch before any PNG (each PNG then drawn from its SVG), as `build --watch` does. */
  svgFirst?: boolean;
  /** With `svgFirst`: asked before each PNG; true leaves the PNGs not drawn yet for later (a newer change waits). */
  yieldPngs?: () => boolean;
  /** Told after each image settles, drawn or not, for a progress display. */
  onProgress?: (progress: { done: number; total: number; file: string }) => void;
}

export interface RenderImagesReport {
  written: string[];
  /** PNGs written larger than PNG_BUDGET. */
  heavy: { path: string; bytes: number }[];
  /** Images left as they were: drawn from the same key before. */
  unchanged: string[];
  /** Names of the jobs with an image that could not be drawn. */
  failed: Set<string>;
  diagnostics: Diagnostic[];
}

/** A PNG larger than this is heavy for a wiki page, and for a repository that commits it on every edit. */
export const PNG_BUDGET = 1024 * 1024;

/** Every way a PNG may have been given its palette, or none. */
const PNG_PALETTES = ['libimagequant', 'pngquant', 'none'];

const REJECTED_HINT = 'protoflow escapes every text of a spec, so this is a renderer limit or a protoflow bug; please report it with the spec';

/**
 * The keys each image of a job would be drawn from now, and may have been drawn from to be
 * current. A PNG with a palette or without is current either way: a checkout drawn where sharp
 * loads stays current where it does not, and so do PNGs given their palette by pngquant, as
 * protoflow 0.1 did.
 */
export function imageKeys(job: ImageJob, drawing: ResolvedDrawing): Map<ImageFormat, ImageKeys> {
  const fingerprints = ENGINES[job.engine].fingerprints(drawing);
  const palettes = [drawing.pngPalette, ...PNG_PALETTES.filter((palette) => palette !== drawing.pngPalette)];
  // Light images keep the keys they had before themes; an `auto` PNG is the light one.
  const themed = (format: ImageFormat): Fingerprint => (job.theme === 'dark' || (job.theme === 'auto' && format === 'svg') ? { theme: job.theme } : {});
  return new Map(
    job.formats.map((format) => {
      const current =
        format === 'png'
          ? palettes.flatMap((pngPalette) =>
              fingerprints.map((fingerprint) => renderKey({ ...job, format, fingerprint: { ...fingerprint, pngPalette, ...themed(format) } })),
            )
          : fingerprints.map((fingerprint) => renderKey({ ...job, format, fingerprint: { ...fingerprint, ...themed(format) } }));
      return [format, { draw: current[0]!, current }];
    }),
  );
}

/**
 * Draws the images that are not current, each engine started once for the whole batch and only
 * when it has work. Every image is written as soon as it is drawn; a refused or failed diagram
 * writes nothing and is reported; a timeout stops the batch.
 */
export async function renderImages(jobs: readonly ImageJob[], options: RenderImagesOptions): Promise<RenderImagesReport> {
  const report: RenderImagesReport = { written: [], heavy: [], unchanged: [], failed: new Set(), diagnostics: [] };
  const { manifest } = options;
  const { session } = options;
  const work: { job: ImageJob; formats: ImageFormat[]; keys: Map<ImageFormat, ImageKeys> }[] = [];
  for (const job of jobs) {
    const keys = imageKeys(job, session.drawing);
    const formats: ImageFormat[] = [];
    for (const [format, key] of keys) {
      const file = imageName(job.name, format);
      if (!options.force && (await isCurrent(options.outDir.path, file, key, manifest))) report.unchanged.push(inside(options.outDir, file).name);
      else formats.push(format);
    }
    if (formats.length > 0) work.push({ job, formats, keys });
  }
  if (work.length === 0) return report;

  const reported = new Set<string>();
  /** Each missing program's message, with the kinds of image it kept from being drawn ("Mermaid SVG"). */
  const missing = new Map<string, Set<string>>();
  let cancelled = 0;
  let stopped = false;
  /** Why PNGs were written without a palette, said once. */
  let paletteProblem: string | undefined;

  const total = work.reduce((n, w) => n + w.formats.length, 0);
  let done = 0;
  const settle = async (job: ImageJob, format: ImageFormat, key: string, outcome: RenderOutcome) => {
    const file = imageName(job.name, format);
    options.onProgress?.({ done: ++done, total, file });
    const { name: path, path: absolute } = inside(options.outDir, file);
    const label = ENGINES[job.engine].label;
    if (outcome.kind !== 'image') {
      manifest.delete(file);
      report.failed.add(job.name);
    }
    // Once a time limit stopped the build, an image cut short with it (timed out too, or its
    // renderer closed while starting) is counted as not drawn, not reported on its own.
    if (stopped && (outcome.kind === 'timeout' || outcome.kind === 'failed')) {
      cancelled++;
      return;
    }
    switch (outcome.kind) {
      case 'image': {
        let data = outcome.data;
        if (format === 'png') {
          const shrunk = await session.shrinkPng(data);
          data = shrunk.png;
          if (shrunk.problem !== undefined) paletteProblem ??= shrunk.problem;
        }
        const malformed = format === 'svg' ? xmlProblem(Buffer.from(data).toString('utf8')) : undefined;
        if (malformed !== undefined) {
          manifest.delete(file);
          report.failed.add(job.name);
          report.diagnostics.push(
            error(
              DiagnosticCodes.RENDER_FAILED,
              `${file}: ${label} drew an SVG that is not well-formed XML (${malformed}), so it was not written`,
              job.origin,
              REJECTED_HINT,
            ),
          );
          return;
        }
        try {
          await writeFileAtomic(absolute, data);
          manifest.set(file, { key, bytes: data.byteLength });
          report.written.push(path);
          if (format === 'png' && data.byteLength > PNG_BUDGET) report.heavy.push({ path, bytes: data.byteLength });
        } catch (cause) {
          report.failed.add(job.name);
          report.diagnostics.push(error(DiagnosticCodes.OUTPUT_FAILED, `cannot write ${path}: ${failureReason(cause)}`));
        }
        return;
      }
      case 'rejected':
        // Reported once for all formats of the diagram, below.
        return;
      case 'unavailable': {
        // One message per missing program, not one per diagram.
        const kinds = missing.get(outcome.message) ?? new Set();
        missing.set(outcome.message, kinds.add(`${label} ${format.toUpperCase()}`));
        return;
      }
      case 'timeout':
        // The first one stops the build.
        stopped = true;
        report.diagnostics.push(error(DiagnosticCodes.RENDER_TIMEOUT, `${file}: ${outcome.message}; the build stops here`, job.origin));
        await session.close();
        return;
      case 'failed':
        // A renderer that cannot work at all fails every diagram the same way: say it once.
        if (!reported.has(outcome.message)) {
          reported.add(outcome.message);
          report.diagnostics.push(error(DiagnosticCodes.RENDER_FAILED, `${file}: ${outcome.message}`, job.origin));
        }
        return;
      case 'cancelled':
        cancelled++;
        return;
    }
  };

  /** Draws a job in the formats given; its outcomes settled, a refusal reported once for all of them. */
  const draw = async ({ job, keys }: (typeof work)[number], formats: readonly ImageFormat[]): Promise<Map<ImageFormat, RenderOutcome>> => {
    const outcomes = await session.draw(job, formats);
    // Settled one after another: a timeout must stop the batch before the next image is written.
    for (const [format, outcome] of outcomes) await settle(job, format, keys.get(format)!.draw, outcome);
    // A diagram a renderer refuses is refused in every format: one diagnostic for all of them.
    const rejected = [...outcomes].filter(([, o]) => o.kind === 'rejected');
    const refusal = rejected[0]?.[1];
    if (refusal?.kind === 'rejected') {
      const files = rejected.map(([format]) => imageName(job.name, format));
      const where = refusal.line === undefined ? job.name : `${job.name} line ${refusal.line}`;
      const message = `${ENGINES[job.engine].label} rejected ${where}, so ${files.join(' and ')} ${files.length > 1 ? 'were' : 'was'} not drawn: ${refusal.message}`;
      report.diagnostics.push(error(DiagnosticCodes.RENDER_REJECTED, message, job.origin, REJECTED_HINT));
    }
    return outcomes;
  };

  if (!options.svgFirst) {
    await Promise.all(work.map((item) => draw(item, item.formats)));
  } else {
    // Every SVG first, then each PNG from its SVG: a reader waiting for a change sees it sooner.
    const pngLater = (item: (typeof work)[number]) => item.formats.includes('svg') && item.formats.includes('png');
    const drawn = await Promise.all(work.map((item) => draw(item, pngLater(item) ? ['svg'] : item.formats)));
    const waiting = work.map((item, i) => ({ item, svg: drawn[i]!.get('svg') })).filter(({ item }) => pngLater(item));
    // As many at once as the browser has tabs, each asking first whether a newer change waits.
    const drawPngs = async () => {
      for (let next = waiting.shift(); next && !stopped; next = waiting.shift()) {
        const { item, svg } = next;
        if (options.yieldPngs?.()) {
          // Left as it was, and the job not finished: the next build draws it.
          report.failed.add(item.job.name);
          continue;
        }
        if (svg?.kind !== 'image') {
          // Not drawn, for the reason already given for its SVG.
          manifest.delete(imageName(item.job.name, 'png'));
          continue;
        }
        await settle(item.job, 'png', item.keys.get('png')!.draw, await session.renderer(item.job.engine).png(svg.data));
      }
    };
    await Promise.all(Array.from({ length: BrowserPool.defaultSize() }, drawPngs));
  }
  for (const [message, kinds] of missing) {
    report.diagnostics.push(error(DiagnosticCodes.RENDERER_MISSING, `${message}; not drawn: ${[...kinds].sort().join(', ')} images`));
  }
  if (paletteProblem !== undefined) {
    report.diagnostics.push(
      warning(
        DiagnosticCodes.PNG_WITHOUT_PALETTE,
        paletteProblem,
        undefined,
        'install sharp for this platform (sharp.pixelplumbing.com/install), then `protoflow build --force` to draw these PNGs again with one',
      ),
    );
  }
  if (report.heavy.length > 0) {
    const largest = report.heavy.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    report.diagnostics.push(
      warning(
        DiagnosticCodes.PNG_TOO_LARGE,
        `${report.heavy.length} PNG(s) larger than ${mib(PNG_BUDGET)}, the largest ${largest.path} (${mib(largest.bytes)})`,
        undefined,
        session.drawing.pngPalette === 'none' || paletteProblem !== undefined
          ? 'PNGs with a palette take a quarter of the bytes (sharp, a dependency, gives them one where it loads); or embed the SVG'
          : 'embed the SVG, or split the flow (include, scenarios) into smaller diagrams',
      ),
    );
  }
  if (cancelled > 0) {
    report.diagnostics.push(error(DiagnosticCodes.RENDER_FAILED, `${cancelled} image(s) not drawn: rendering stopped after the error above`));
  }
  return report;
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
