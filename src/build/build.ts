import { basename, join } from 'node:path';
import { DiagnosticCodes, error, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { readSourceFile, type SourceFile } from '../source/source-file.js';
import { renderImages, type ImageJob } from '../render/render-images.js';
import type { ImageFormat } from '../render/renderer.js';
import { compileSpec } from '../spec/load-spec.js';
import { generate } from '../targets/engine.js';
import type { Target, ViewOptions } from '../targets/target.js';
import { findSpecs } from './find-specs.js';
import { writeFileAtomic } from './write-atomic.js';

/** `source` is each target's diagram text; `svg` and `png` are images drawn from it. */
export type OutputFormat = 'source' | ImageFormat;
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['source', 'svg', 'png'];

export interface BuildOptions {
  inputs: readonly string[];
  outDir: string;
  targets: readonly Target[];
  view?: ViewOptions;
  /** When false, specs are only validated. */
  write: boolean;
  /** What to write for each target (default: source only). */
  formats?: readonly OutputFormat[];
  /** Milliseconds one image may take to draw (default 60 s). */
  renderTimeoutMs?: number;
  /** Draw every image again, even those whose source and renderer have not changed. */
  force?: boolean;
}

export interface BuildReport {
  sources: SourceFile[];
  diagnostics: Diagnostic[];
  written: string[];
  /** Images already drawn from the same source by the same renderer, left as they were. */
  unchanged: string[];
  specCount: number;
}

export const DEFAULT_RENDER_TIMEOUT_MS = 60_000;

/** The spec's base name without `.yaml`/`.yml`: `specs/https-tls12.yaml` → `https-tls12`. */
export function outputBase(file: string): string {
  return basename(file).replace(/\.ya?ml$/, '');
}

/**
 * Validates every spec and, when asked, writes each target's text. A spec with errors writes
 * nothing (its previous outputs stay as they were); the others are still built.
 */
export async function build(options: BuildOptions): Promise<BuildReport> {
  const report: BuildReport = { sources: [], diagnostics: [], written: [], unchanged: [], specCount: 0 };
  const formats = options.formats ?? ['source'];
  const imageFormats = formats.filter((f): f is ImageFormat => f !== 'source');
  const images: ImageJob[] = [];
  const { files, problems } = await findSpecs(options.inputs);
  report.diagnostics.push(...problems);
  if (files.length === 0 && problems.length === 0) {
    report.diagnostics.push(error(DiagnosticCodes.NO_SPECS_FOUND, `no .yaml spec found in ${options.inputs.join(', ')}`));
  }
  const bases = new Map<string, string>();
  for (const path of files) {
    const read = await readSourceFile(path);
    report.diagnostics.push(...read.diagnostics);
    if (!read.value) continue;
    report.sources.push(read.value);
    report.specCount++;
    const compiled = compileSpec(read.value);
    report.diagnostics.push(...compiled.diagnostics);
    if (!compiled.value || !options.write) continue;

    const base = outputBase(path);
    const clash = bases.get(base);
    if (clash) {
      report.diagnostics.push(
        error(DiagnosticCodes.OUTPUT_FAILED, `${path} and ${clash} would write the same outputs (${base}.*); rename one`),
      );
      continue;
    }
    bases.set(base, path);
    const outputs: [string, string][] = [];
    const problems: Diagnostic[] = [];
    const jobs: ImageJob[] = [];
    for (const target of options.targets) {
      const text = generate(target, compiled.value.flow, options.view);
      problems.push(...text.diagnostics);
      if (text.value === undefined) continue;
      const name = base + target.extension;
      outputs.push([join(options.outDir, name), text.value]);
      if (imageFormats.length > 0) {
        jobs.push({
          name,
          source: text.value,
          engine: target.engine,
          config: target.renderConfig,
          formats: imageFormats,
          origin: { file: path, line: 1, column: 1 },
        });
      }
    }
    report.diagnostics.push(...problems);
    if (hasErrors(problems)) continue;
    images.push(...jobs);
    if (!formats.includes('source')) continue;
    for (const [outPath, text] of outputs) {
      try {
        await writeFileAtomic(outPath, text);
        report.written.push(outPath);
      } catch (cause) {
        const reason = cause instanceof Error && 'code' in cause ? String(cause.code) : String(cause);
        report.diagnostics.push(error(DiagnosticCodes.OUTPUT_FAILED, `cannot write ${outPath}: ${reason}`));
        break;
      }
    }
  }
  if (images.length > 0) {
    const drawn = await renderImages(images, {
      outDir: options.outDir,
      timeoutMs: options.renderTimeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS,
      force: options.force ?? false,
    });
    report.written.push(...drawn.written);
    report.unchanged.push(...drawn.unchanged);
    report.diagnostics.push(...drawn.diagnostics);
  }
  return report;
}
