import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { IMAGE_MANIFEST, imageName, isCurrent, readManifest } from '../render/cache.js';
import { resolveDrawing } from '../render/drawing.js';
import { imageKeys } from '../render/render-images.js';
import type { DrawingChoices, ImageFormat } from '../render/renderer.js';
import type { SourceFile } from '../source/source-file.js';
import { compileSpec } from '../compile/load-spec.js';
import type { Target, ViewOptions } from '../targets/target.js';
import type { TemplateSet } from '../targets/generate.js';
import { outputBase, type OutputFormat } from './build.js';
import type { CompiledSpec } from '../compile/load-spec.js';
import { isFile, readSpecs } from './find-specs.js';
import { generateOutputs, type ScenarioSelection } from './outputs.js';
import { sameText } from '../shared/same-text.js';
import { readTextIfAny } from '../source/source-file.js';
import { OUTPUT_LOCK } from './output-lock.js';
import { TEMPORARY_PREFIX } from '../shared/write-atomic.js';

export interface CheckOptions {
  inputs: readonly string[];
  /** The project's spec folders: includes stay inside the one holding their spec (see `specRoot`). */
  specRoots?: readonly string[];
  outDir: string;
  targets: readonly Target[];
  formats: readonly OutputFormat[];
  view?: ViewOptions;
  scenarios: ScenarioSelection;
  templates?: TemplateSet;
  /** How images would be drawn: an image is current when drawn from a key these choices accept. */
  drawing?: DrawingChoices;
}

/** A spec that was read, and what compiling it gave (nothing when it has errors). */
export interface KnownSpec {
  source: SourceFile;
  compiled?: CompiledSpec;
}

/** An output that is not what a build would write now. */
export interface StaleOutput {
  file: string;
  /** For a text output: a unified diff from what is there to what a build would write. */
  diff?: string;
}

export interface CheckReport {
  sources: SourceFile[];
  diagnostics: Diagnostic[];
  specCount: number;
  current: string[];
  stale: StaleOutput[];
  missing: string[];
  /** Files in the output folder that no spec checked produces. */
  orphaned: string[];
  /** Every spec checked, by absolute path (for the Markdown regions that embed it). */
  known: Map<string, KnownSpec>;
  /** The names of the files the specs checked produce in the output folder. */
  expected: Set<string>;
}

/**
 * Compares the output folder with what `build` would write, without writing anything or starting
 * a renderer: each text output is generated in memory and compared byte for byte; an image is
 * current when it is on disk as the manifest recorded it, drawn from the key it would be drawn
 * from now (its source, format, options and renderer versions), since image bytes differ between
 * machines. A spec with errors keeps its files: whatever is named after it is not an orphan.
 */
export async function check(options: CheckOptions): Promise<CheckReport> {
  const { sources, diagnostics } = await readSpecs(options.inputs, options.specRoots);
  const expected = new Set<string>([IMAGE_MANIFEST]);
  const known = new Map<string, KnownSpec>();
  const report: CheckReport = { sources, diagnostics, specCount: sources.length, current: [], stale: [], missing: [], orphaned: [], known, expected };
  const imageFormats = options.formats.filter((f): f is ImageFormat => f !== 'source');
  const manifest = await readManifest(options.outDir);
  const drawing = resolveDrawing(options.drawing);
  const unknownPrefixes: string[] = [];
  const at = (name: string) => join(options.outDir, name);

  for (const source of sources) {
    const base = outputBase(source.name);
    const compiled = compileSpec(source);
    report.diagnostics.push(...compiled.diagnostics);
    known.set(resolve(source.name), { source, compiled: compiled.value });
    if (!compiled.value) {
      unknownPrefixes.push(`${base}.`, `${base}--`);
      continue;
    }
    const generated = generateOutputs(base, compiled.value, {
      targets: options.targets,
      view: options.view,
      imageFormats,
      selection: options.scenarios,
      templates: options.templates,
    });
    report.diagnostics.push(...generated.diagnostics);
    if (options.formats.includes('source')) {
      for (const [name, text] of generated.texts) {
        expected.add(name);
        const onDisk = await readTextIfAny(at(name));
        if (onDisk === undefined) report.missing.push(at(name));
        else if (sameText(onDisk, text)) report.current.push(at(name));
        else
          report.stale.push({ file: at(name), diff: createTwoFilesPatch(at(name), at(name), onDisk, text, 'in the output folder', 'as the spec builds now') });
      }
    }
    for (const job of generated.jobs) {
      for (const [format, keys] of imageKeys(job, drawing)) {
        const name = imageName(job.name, format);
        expected.add(name);
        if (await isCurrent(options.outDir, name, keys, manifest)) report.current.push(at(name));
        else if (await isFile(at(name))) report.stale.push({ file: at(name) });
        else report.missing.push(at(name));
      }
    }
  }
  const present = await readdir(options.outDir, { withFileTypes: true }).catch(() => []);
  for (const entry of present) {
    // A build's lock and the temporary files of one killed mid-write are protoflow's, not outputs.
    if (!entry.isFile() || expected.has(entry.name) || entry.name === OUTPUT_LOCK || entry.name.startsWith(TEMPORARY_PREFIX)) continue;
    if (unknownPrefixes.some((p) => entry.name.startsWith(p))) continue;
    report.orphaned.push(at(entry.name));
  }
  return report;
}
