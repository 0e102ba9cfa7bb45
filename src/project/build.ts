import { basename, join } from 'node:path';
import { DiagnosticCodes, error, failureReason, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { IMAGE_MANIFEST, imageName, readManifest, recordedImage, writeManifest, type ImageManifest } from '../render/cache.js';
import { renderImages, type ImageJob, type RenderImagesOptions } from '../render/render-images.js';
import type { RenderSession } from '../render/session.js';
import { resolveDrawing } from '../render/drawing.js';
import type { DrawingChoices, ImageFormat } from '../render/renderer.js';
import type { SourceFile } from '../source/source-file.js';
import type { Target, ViewOptions } from '../targets/target.js';
import type { TemplateSet } from '../targets/generate.js';
import { isFile, readSpecs } from './find-specs.js';
import { stamper } from './stamp.js';
import { includeHash, includesUnchanged, readStamps, writeStamps, type StampRecord } from './stamp-cache.js';
import type { ScenarioSelection } from './outputs.js';
import { sameText } from '../shared/same-text.js';
import { lockOutput } from './output-lock.js';
import { removeStaleTemporaries, writeFileAtomic } from '../shared/write-atomic.js';
import { readTextIfAny } from '../source/source-file.js';

/** `source` is each target's diagram text; `svg` and `png` are images drawn from it. */
export type OutputFormat = 'source' | ImageFormat;
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['source', 'svg', 'png'];

export const DEFAULT_RENDER_TIMEOUT_MS = 60_000;

export interface BuildOptions {
  inputs: readonly string[];
  /** The project's spec folders: includes stay inside the one holding their spec (see `specRoot`). */
  specRoots?: readonly string[];
  outDir: string;
  targets: readonly Target[];
  view?: ViewOptions;
  /** When false, specs are only validated. */
  write: boolean;
  /** What to write for each target (default: source only). */
  formats?: readonly OutputFormat[];
  /** Milliseconds one image may take to draw (default 60 s). */
  renderTimeoutMs?: number;
  /** Build every spec and draw every image again, even those that are current. */
  force?: boolean;
  /** Scenario projections to draw (default: none, only each spec's full diagrams). */
  scenarios?: ScenarioSelection;
  /** The templates to generate with (default: protoflow's own). */
  templates?: TemplateSet;
  /** How images are drawn (default: PlantUML's engine chosen automatically). */
  drawing?: DrawingChoices;
  /** Renderers to draw with, kept warm between builds by the caller, who closes them. */
  session?: RenderSession;
  /** Told as each image is drawn (see renderImages). */
  onProgress?: RenderImagesOptions['onProgress'];
}

export interface BuildReport {
  sources: SourceFile[];
  diagnostics: Diagnostic[];
  written: string[];
  /** Outputs left as they were: built from the same spec, code and renderers before. */
  unchanged: string[];
  specCount: number;
  /** Spec (by name) → the real paths of the specs it includes, as far as they are known. */
  includes: Map<string, string[]>;
}

/** The spec's base name without `.yaml`/`.yml`: `specs/https-tls12.yaml` → `https-tls12`. */
export function outputBase(file: string): string {
  return basename(file).replace(/\.ya?ml$/, '');
}

/** A spec whose outputs are being built, what it writes, and whether everything for it went well. */
interface SpecBuild {
  base: string;
  record: StampRecord;
  ok: boolean;
}

/** How long a build waits for another build writing the same output folder to finish. */
const LOCK_WAIT_MS = 10 * 60_000;

/**
 * Validates every spec and, when asked, writes each target's text and images. A spec with errors
 * writes nothing (its previous outputs stay as they were); the others are still built. A spec
 * whose outputs are current (see stamp.ts) is not even parsed. Two builds writing one output
 * folder take turns (a lock in the folder), so neither loses the other's image records.
 */
export async function build(options: BuildOptions): Promise<BuildReport> {
  if (!options.write) return buildLocked(options);
  const lock = await lockOutput(options.outDir, LOCK_WAIT_MS);
  if ('problem' in lock) {
    return { sources: [], diagnostics: [error(DiagnosticCodes.OUTPUT_FAILED, lock.problem)], written: [], unchanged: [], specCount: 0, includes: new Map() };
  }
  try {
    // What builds killed before they could rename their files left behind.
    await removeStaleTemporaries(options.outDir);
    return await buildLocked(options);
  } finally {
    await lock.release();
  }
}

async function buildLocked(options: BuildOptions): Promise<BuildReport> {
  const report: BuildReport = { sources: [], diagnostics: [], written: [], unchanged: [], specCount: 0, includes: new Map() };
  const formats = options.formats ?? ['source'];
  const imageFormats = formats.filter((f): f is ImageFormat => f !== 'source');
  const { sources, diagnostics } = await readSpecs(options.inputs, options.specRoots);
  report.sources.push(...sources);
  report.diagnostics.push(...diagnostics);
  report.specCount = sources.length;
  const selection = options.scenarios ?? 'none';
  const manifest = options.write ? await readManifest(options.outDir) : undefined;
  const stamps = options.write ? await readStamps(options.outDir) : new Map<string, StampRecord>();
  const drawing = options.session?.drawing ?? resolveDrawing(options.drawing);
  const stampOf = options.write
    ? await stamper({ targets: options.targets, formats, view: options.view, scenarios: selection, templatesDir: options.templates?.dir, drawing })
    : undefined;

  const built: SpecBuild[] = [];
  const images: (ImageJob & { spec: SpecBuild })[] = [];
  const bases = new Map<string, string>();
  // Output name, in lower case (macOS and Windows file systems ignore case) → the spec writing it.
  const claimed = new Map<string, string>();
  const claim = (names: readonly string[], path: string): boolean => {
    const own = new Set<string>();
    for (const name of names) {
      const key = name.toLowerCase();
      const owner = claimed.get(key);
      const clash = own.has(key)
        ? `${path} would write ${name} twice (names that differ only in case are one file on macOS and Windows); rename a value`
        : owner !== undefined
          ? `${path} and ${owner} would both write ${name}; rename one`
          : undefined;
      if (clash !== undefined) {
        report.diagnostics.push(error(DiagnosticCodes.OUTPUT_FAILED, clash));
        return false;
      }
      own.add(key);
    }
    for (const key of own) claimed.set(key, path);
    return true;
  };
  for (const source of sources) {
    const path = source.name;

    let spec: SpecBuild | undefined;
    if (manifest && stampOf) {
      const base = outputBase(path);
      const clash = bases.get(base);
      bases.set(base, clash ?? path);
      if (clash) {
        report.diagnostics.push(error(DiagnosticCodes.OUTPUT_FAILED, `${path} and ${clash} would write the same outputs (${base}.*); rename one`));
      } else {
        spec = { base, record: { stamp: stampOf(base, source.text), texts: [], images: [], includes: {} }, ok: true };
        const last = stamps.get(base);
        if (!options.force && last?.stamp === spec.record.stamp && (await includesUnchanged(last)) && (await allExist(options.outDir, last, manifest))) {
          const names = [...last.texts, ...last.images];
          report.includes.set(path, Object.keys(last.includes));
          if (claim(names, path)) report.unchanged.push(...names.map((n) => join(options.outDir, n)));
          continue;
        }
      }
    }

    // Loaded only when a spec needs building: a build with nothing to do never loads the parsers.
    const [{ compileSpec }, { generateOutputs }] = await Promise.all([import('../compile/load-spec.js'), import('./outputs.js')]);
    const compiled = compileSpec(source);
    report.diagnostics.push(...compiled.diagnostics);
    report.includes.set(
      path,
      compiled.files.map((file) => file.path),
    );
    if (!compiled.value || !spec) continue;
    // Only a spec built without a single diagnostic is stamped: its warnings must show again next time.
    spec.ok = compiled.diagnostics.length === 0;
    spec.record.includes = Object.fromEntries(compiled.files.map((file) => [file.path, includeHash(file.text)]));
    built.push(spec);

    const {
      texts,
      jobs,
      diagnostics: problems,
    } = generateOutputs(spec.base, compiled.value, {
      targets: options.targets,
      view: options.view,
      imageFormats,
      selection,
      templates: options.templates,
    });
    report.diagnostics.push(...problems);
    spec.record.images = jobs.flatMap((job) => imageFormats.map((f) => imageName(job.name, f)));
    spec.record.texts = formats.includes('source') ? texts.map(([name]) => name) : [];
    if (hasErrors(problems) || !claim([...spec.record.texts, ...spec.record.images], path)) {
      spec.ok = false;
      continue;
    }
    images.push(...jobs.map((job) => ({ ...job, spec })));
    if (formats.includes('source')) {
      const wrote = await writeAll(
        texts.map(([name, text]) => [join(options.outDir, name), text]),
        report,
      );
      spec.ok &&= wrote;
    }
  }
  if (!manifest) return report;

  if (images.length > 0) {
    const drawn = await renderImages(images, {
      outDir: options.outDir,
      manifest,
      timeoutMs: options.renderTimeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS,
      force: options.force ?? false,
      drawing,
      session: options.session,
      onProgress: options.onProgress,
    });
    report.written.push(...drawn.written);
    report.unchanged.push(...drawn.unchanged);
    report.diagnostics.push(...drawn.diagnostics);
    for (const job of images) if (drawn.failed.has(job.name)) job.spec.ok = false;
  }
  for (const spec of built) {
    if (spec.ok) stamps.set(spec.base, spec.record);
    else stamps.delete(spec.base);
  }
  if (built.length > 0) {
    if (images.length > 0) {
      await writeManifest(options.outDir, manifest).catch((cause: unknown) => {
        report.diagnostics.push(error(DiagnosticCodes.OUTPUT_FAILED, `cannot write ${join(options.outDir, IMAGE_MANIFEST)}: ${String(cause)}`));
      });
    }
    // Only a cache: a build that cannot record its stamps just parses every spec next time.
    await writeStamps(options.outDir, stamps).catch(() => undefined);
  }
  return report;
}

/** Every output of a spec is on disk, each image as the manifest recorded it. */
async function allExist(outDir: string, outputs: StampRecord, manifest: ImageManifest): Promise<boolean> {
  for (const name of outputs.images) if (!(await recordedImage(outDir, name, manifest))) return false;
  for (const name of outputs.texts) if (!(await isFile(join(outDir, name)))) return false;
  return true;
}

/** Writes each text that differs from what is on disk; the rest count as unchanged. */
async function writeAll(outputs: readonly [string, string][], report: BuildReport): Promise<boolean> {
  for (const [outPath, text] of outputs) {
    const onDisk = await readTextIfAny(outPath);
    if (onDisk !== undefined && sameText(onDisk, text)) {
      report.unchanged.push(outPath);
      continue;
    }
    try {
      await writeFileAtomic(outPath, text);
      report.written.push(outPath);
    } catch (cause) {
      report.diagnostics.push(error(DiagnosticCodes.OUTPUT_FAILED, `cannot write ${outPath}: ${failureReason(cause)}`));
      return false;
    }
  }
  return true;
}
