import { readdir } from 'node:fs/promises';
import { createTwoFilesPatch } from 'diff';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { IMAGE_MANIFEST, imageName, isCurrent, readManifest, type ImageManifest } from '../render/cache.js';
import { imageKeys } from '../render/render-images.js';
import type { SourceFile } from '../source/source-file.js';
import type { CompiledSpec } from '../compile/load-spec.js';
import { inside } from '../shared/host.js';
import { isFile } from './find-specs.js';
import { outputBase } from './output-names.js';
import type { GeneratedOutputs } from './outputs.js';
import type { Project } from './project.js';
import { sameText } from '../shared/same-text.js';
import { readTextIfAny } from '../source/source-file.js';
import { OUTPUT_LOCK } from './output-lock.js';
import { TEMPORARY_PREFIX } from '../shared/write-atomic.js';

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
export async function check(project: Project): Promise<CheckReport> {
  const { sources, diagnostics } = await project.read();
  const expected = new Set<string>([IMAGE_MANIFEST]);
  const known = new Map<string, KnownSpec>();
  const report: CheckReport = { sources, diagnostics, specCount: sources.length, current: [], stale: [], missing: [], orphaned: [], known, expected };
  const manifest = await readManifest(project.outFolder.path);
  const unknownPrefixes: string[] = [];

  for (const source of sources) {
    const compiled = await project.compile(source);
    report.diagnostics.push(...compiled.diagnostics);
    known.set(project.resolve(source.name), { source, compiled: compiled.value });
    if (!compiled.value) {
      const base = outputBase(source.name);
      unknownPrefixes.push(`${base}.`, `${base}--`);
      continue;
    }
    const planned = project.plan(source, compiled.value);
    report.diagnostics.push(...planned.diagnostics);
    if (project.settings.formats.includes('source')) await compareTexts(project, planned.texts, report);
    await compareImages(project, planned.jobs, manifest, report);
  }
  const present = await readdir(project.outFolder.path, { withFileTypes: true }).catch(() => []);
  for (const entry of present) {
    // A build's lock and the temporary files of one killed mid-write are protoflow's, not outputs.
    if (!entry.isFile() || expected.has(entry.name) || entry.name === OUTPUT_LOCK || entry.name.startsWith(TEMPORARY_PREFIX)) continue;
    if (unknownPrefixes.some((p) => entry.name.startsWith(p))) continue;
    report.orphaned.push(inside(project.outFolder, entry.name).name);
  }
  return report;
}

/** Each text output, byte for byte, with a diff when it differs. */
async function compareTexts(project: Project, texts: GeneratedOutputs['texts'], report: CheckReport): Promise<void> {
  for (const [name, text] of texts) {
    report.expected.add(name);
    const file = inside(project.outFolder, name);
    const onDisk = await readTextIfAny(file.path);
    if (onDisk === undefined) report.missing.push(file.name);
    else if (sameText(onDisk, text)) report.current.push(file.name);
    else
      report.stale.push({ file: file.name, diff: createTwoFilesPatch(file.name, file.name, onDisk, text, 'in the output folder', 'as the spec builds now') });
  }
}

/** Each image, by the key the manifest recorded. */
async function compareImages(project: Project, jobs: GeneratedOutputs['jobs'], manifest: ImageManifest, report: CheckReport): Promise<void> {
  for (const job of jobs) {
    for (const [format, keys] of imageKeys(job, project.drawing())) {
      const name = imageName(job.name, format);
      report.expected.add(name);
      const file = inside(project.outFolder, name);
      if (await isCurrent(project.outFolder.path, name, keys, manifest)) report.current.push(file.name);
      else if (await isFile(file.path)) report.stale.push({ file: file.name });
      else report.missing.push(file.name);
    }
  }
}
