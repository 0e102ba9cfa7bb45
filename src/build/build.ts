import { basename, join } from 'node:path';
import { DiagnosticCodes, error, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { readSourceFile, type SourceFile } from '../source/source-file.js';
import { compileSpec } from '../spec/load-spec.js';
import { generate } from '../targets/engine.js';
import type { Target, ViewOptions } from '../targets/target.js';
import { findSpecs } from './find-specs.js';
import { writeFileAtomic } from './write-atomic.js';

export interface BuildOptions {
  inputs: readonly string[];
  outDir: string;
  targets: readonly Target[];
  view?: ViewOptions;
  /** When false, specs are only validated. */
  write: boolean;
}

export interface BuildReport {
  sources: SourceFile[];
  diagnostics: Diagnostic[];
  written: string[];
  specCount: number;
}

/** The spec's base name without `.yaml`/`.yml`: `specs/https-tls12.yaml` → `https-tls12`. */
export function outputBase(file: string): string {
  return basename(file).replace(/\.ya?ml$/, '');
}

/**
 * Validates every spec and, when asked, writes each target's text. A spec with errors writes
 * nothing (its previous outputs stay as they were); the others are still built.
 */
export async function build(options: BuildOptions): Promise<BuildReport> {
  const report: BuildReport = { sources: [], diagnostics: [], written: [], specCount: 0 };
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
    for (const target of options.targets) {
      const text = generate(target, compiled.value.flow, options.view);
      problems.push(...text.diagnostics);
      if (text.value !== undefined) outputs.push([join(options.outDir, base + target.extension), text.value]);
    }
    report.diagnostics.push(...problems);
    if (hasErrors(problems)) continue;
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
  return report;
}
