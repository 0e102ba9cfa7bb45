import { join } from 'node:path';
import { DiagnosticCodes, error, failureReason, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { IMAGE_MANIFEST, imageName, readManifest, recordedImage, writeManifest, type ImageManifest } from '../render/cache.js';
import { renderImages, type RenderImagesOptions } from '../render/render-images.js';
import type { RenderSession } from '../render/session.js';
import type { SourceFile } from '../source/source-file.js';
import { inside, type NamedPath } from '../shared/host.js';
import { isFile } from './find-specs.js';
import { outputBase } from './output-names.js';
import type { Project } from './project.js';
import { stamper } from './stamp.js';
import { includeHash, includesUnchanged, readStamps, writeStamps, type StampRecord } from './stamp-cache.js';
import { sameText } from '../shared/same-text.js';
import { lockOutput } from './output-lock.js';
import { removeStaleTemporaries, writeFileAtomic } from '../shared/write-atomic.js';
import { readTextIfAny } from '../source/source-file.js';
import type { GeneratedOutputs } from './outputs.js';

export interface BuildOptions {
  /** The specs to build (default: the project's inputs). */
  inputs?: readonly string[];
  /** When false, specs are only validated. */
  write: boolean;
  /** Build every spec and draw every image again, even those that are current. */
  force?: boolean;
  /** Renderers to draw with, kept warm between builds by the caller, who closes them (default: started and stopped here). */
  session?: RenderSession;
  /** Every SVG before any PNG (see renderImages): what a watching reader waits for comes first. */
  svgFirst?: boolean;
  /** See renderImages: PNGs left for the next build while this says so. */
  yieldPngs?: () => boolean;
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
export async function build(project: Project, options: BuildOptions): Promise<BuildReport> {
  if (!options.write) return validate(project, options.inputs);
  const lock = await lockOutput(project.outFolder, LOCK_WAIT_MS);
  if ('problem' in lock) return { ...emptyReport(), diagnostics: [error(DiagnosticCodes.OUTPUT_FAILED, lock.problem)] };
  try {
    // What builds killed before they could rename their files left behind.
    await removeStaleTemporaries(project.outFolder.path);
    return await writeOutputs(project, options);
  } finally {
    await lock.release();
  }
}

/** A build's report with what updating the Markdown files that embed its diagrams did. */
export function addDocs(report: BuildReport, docs: Pick<BuildReport, 'sources' | 'diagnostics' | 'written'>): void {
  report.sources.push(...docs.sources);
  report.diagnostics.push(...docs.diagnostics);
  report.written.push(...docs.written);
}

function emptyReport(): BuildReport {
  return { sources: [], diagnostics: [], written: [], unchanged: [], specCount: 0, includes: new Map() };
}

/** `validate`: every spec read and compiled, nothing written. */
async function validate(project: Project, inputs: readonly string[] | undefined): Promise<BuildReport> {
  const { sources, diagnostics } = await project.read(inputs);
  const report: BuildReport = { ...emptyReport(), sources, diagnostics, specCount: sources.length };
  for (const source of sources) {
    const compiled = await project.compile(source);
    report.diagnostics.push(...compiled.diagnostics);
    report.includes.set(
      source.name,
      compiled.files.map((file) => file.path),
    );
  }
  return report;
}

async function writeOutputs(project: Project, options: BuildOptions): Promise<BuildReport> {
  const { sources, diagnostics } = await project.read(options.inputs);
  const report: BuildReport = { ...emptyReport(), sources, diagnostics, specCount: sources.length };
  const out = project.outFolder;
  const { settings } = project;
  const drawing = options.session?.drawing ?? project.drawing();
  const [manifest, stamps, stampOf] = await Promise.all([
    readManifest(out.path),
    readStamps(out.path, project.host),
    stamper({ ...settings, templatesDir: settings.templates.dir, drawing }),
  ]);
  const names = new OutputNames(report.diagnostics);
  const built: SpecBuild[] = [];
  const images: (GeneratedOutputs['jobs'][number] & { spec: SpecBuild })[] = [];

  for (const source of sources) {
    const path = source.name;
    const base = outputBase(path);
    const spec: SpecBuild | undefined = names.takeBase(base, path)
      ? { base, record: { stamp: stampOf(base, source.text), texts: [], images: [], includes: {} }, ok: true }
      : undefined;
    const last = spec && stamps.get(base);
    if (spec && last?.stamp === spec.record.stamp && !options.force && (await stillCurrent(out, last, manifest))) {
      const files = [...last.texts, ...last.images];
      report.includes.set(path, Object.keys(last.includes));
      if (names.take(files, path)) report.unchanged.push(...files.map((file) => inside(out, file).name));
      continue;
    }

    const compiled = await project.compile(source);
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

    const planned = project.plan(source, compiled.value);
    report.diagnostics.push(...planned.diagnostics);
    const writesSources = settings.formats.includes('source');
    spec.record.images = planned.jobs.flatMap((job) => job.formats.map((f) => imageName(job.name, f)));
    spec.record.texts = writesSources ? planned.texts.map(([name]) => name) : [];
    if (hasErrors(planned.diagnostics) || !names.take([...spec.record.texts, ...spec.record.images], path)) {
      spec.ok = false;
      continue;
    }
    images.push(...planned.jobs.map((job) => ({ ...job, spec })));
    // Written even for a spec with warnings (not stamped, so they show again): only errors keep a spec's outputs as they were.
    const wrote = !writesSources || (await writeTexts(out, planned.texts, report));
    spec.ok &&= wrote;
  }

  if (images.length > 0) {
    const session = options.session ?? (await project.renderSession());
    try {
      const drawn = await renderImages(images, {
        outDir: out,
        manifest,
        force: options.force ?? false,
        session,
        svgFirst: options.svgFirst ?? false,
        ...(options.yieldPngs ? { yieldPngs: options.yieldPngs } : {}),
        onProgress: options.onProgress,
      });
      report.written.push(...drawn.written);
      report.unchanged.push(...drawn.unchanged);
      report.diagnostics.push(...drawn.diagnostics);
      for (const job of images) if (drawn.failed.has(job.name)) job.spec.ok = false;
    } finally {
      if (!options.session) await session.close();
    }
  }
  if (built.length > 0) await saveRecords(project, built, stamps, images.length > 0 ? manifest : undefined, report);
  return report;
}

/**
 * The names a build writes in its output folder, each claimed by one spec: two specs (or one
 * spec twice) writing the same file is an error. In lower case: macOS and Windows file systems
 * ignore case.
 */
class OutputNames {
  private readonly owners = new Map<string, string>();
  private readonly bases = new Map<string, string>();

  constructor(private readonly diagnostics: Diagnostic[]) {}

  /** Claims a spec's base name (`https-tls12.*`); false (and reported) when another spec has it. */
  takeBase(base: string, path: string): boolean {
    const owner = this.bases.get(base);
    if (owner === undefined) {
      this.bases.set(base, path);
      return true;
    }
    this.diagnostics.push(error(DiagnosticCodes.OUTPUT_FAILED, `${path} and ${owner} would write the same outputs (${base}.*); rename one`));
    return false;
  }

  /** Claims every file a spec writes; false (and reported) at the first that clashes. */
  take(names: readonly string[], path: string): boolean {
    const own = new Set<string>();
    for (const name of names) {
      const key = name.toLowerCase();
      const owner = this.owners.get(key);
      const clash = own.has(key)
        ? `${path} would write ${name} twice (names that differ only in case are one file on macOS and Windows); rename a value`
        : owner !== undefined
          ? `${path} and ${owner} would both write ${name}; rename one`
          : undefined;
      if (clash !== undefined) {
        this.diagnostics.push(error(DiagnosticCodes.OUTPUT_FAILED, clash));
        return false;
      }
      own.add(key);
    }
    for (const key of own) this.owners.set(key, path);
    return true;
  }
}

/** The outputs a stamp records are still current: its includes unchanged, every file on disk, each image as the manifest recorded it. */
async function stillCurrent(out: NamedPath, last: StampRecord, manifest: ImageManifest): Promise<boolean> {
  if (!(await includesUnchanged(last))) return false;
  for (const name of last.images) if (!(await recordedImage(out.path, name, manifest))) return false;
  for (const name of last.texts) if (!(await isFile(join(out.path, name)))) return false;
  return true;
}

/** Writes each text that differs from what is on disk; the rest count as unchanged. */
async function writeTexts(out: NamedPath, texts: readonly [string, string][], report: BuildReport): Promise<boolean> {
  for (const [name, text] of texts) {
    const file = inside(out, name);
    const onDisk = await readTextIfAny(file.path);
    if (onDisk !== undefined && sameText(onDisk, text)) {
      report.unchanged.push(file.name);
      continue;
    }
    try {
      await writeFileAtomic(file.path, text);
      report.written.push(file.name);
    } catch (cause) {
      report.diagnostics.push(error(DiagnosticCodes.OUTPUT_FAILED, `cannot write ${file.name}: ${failureReason(cause)}`));
      return false;
    }
  }
  return true;
}

/** Records what the build drew (the image manifest, in the output folder) and which specs are now current (the stamps). */
async function saveRecords(
  project: Project,
  built: readonly SpecBuild[],
  stamps: Map<string, StampRecord>,
  manifest: ImageManifest | undefined,
  report: BuildReport,
): Promise<void> {
  for (const spec of built) {
    if (spec.ok) stamps.set(spec.base, spec.record);
    else stamps.delete(spec.base);
  }
  const out = project.outFolder;
  if (manifest) {
    await writeManifest(out.path, manifest).catch((cause: unknown) => {
      report.diagnostics.push(error(DiagnosticCodes.OUTPUT_FAILED, `cannot write ${inside(out, IMAGE_MANIFEST).name}: ${String(cause)}`));
    });
  }
  // Only a cache: a build that cannot record its stamps just parses every spec next time.
  await writeStamps(out.path, project.host, stamps).catch(() => undefined);
}
