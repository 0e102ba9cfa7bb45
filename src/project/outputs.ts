import { DiagnosticCodes, error, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { FlowIR } from '../ir/types.js';
import { exclusionOf } from '../scenarios/declared.js';
import { drawingOf, plannedDrawings, type Drawing } from '../scenarios/plan.js';
import { completeScenario, scenarioProblem, scenarioText, type Scenario } from '../scenarios/scenario.js';
import type { ImageJob } from '../render/render-images.js';
import type { Theme } from '../shared/theme.js';
import type { ImageFormat } from '../render/renderer.js';
import type { CompiledSpec } from '../compile/load-spec.js';
import { generate, type TemplateSet } from '../targets/generate.js';
import { isDrawn, type Target, type ViewOptions } from '../targets/target.js';
import { markdownMatrix, MATRIX_EXTENSION } from '../targets/markdown-matrix.js';
import { matrixView, type MatrixView } from '../views/matrix.js';

/**
 * Which scenario projections a build draws besides each spec's full diagrams: none, every
 * scenario the spec declares (`--all-scenarios`), or only the one named (`--scenario
 * keyExchange=rsa,clientAuth=on`, see `chooseScenario`), which replaces the full diagrams.
 */
export type ScenarioSelection = 'none' | 'all' | { values: Readonly<Record<string, string>> };

/** What one spec's build writes. */
export interface SpecOutputs {
  /** Each set of diagrams: the file name without the target's extension, and the flow drawn. */
  diagrams: { name: string; flow: FlowIR }[];
  /** The presence matrix, for a spec with variables, written beside its full diagrams. */
  matrix?: { name: string; text: string };
  diagnostics: Diagnostic[];
}

/** `https-tls12` + drawing → `https-tls12--keyExchange-rsa--clientAuth-on`. */
export function drawingName(base: string, drawing: Pick<Drawing, 'suffix'>): string {
  return `${base}--${drawing.suffix}`;
}

/**
 * How `--scenario` applies to a spec: a spec that declares every variable named is drawn in that
 * scenario (the others at their default), unless it lacks a value or excludes the combination;
 * any other spec, and a spec without variables, is left out.
 */
export function chooseScenario(
  { flow, locate }: CompiledSpec,
  values: Readonly<Record<string, string>>,
): { scenario: Scenario } | { skip: true } | { problem: string } {
  if (flow.variables.length === 0 || Object.keys(values).some((id) => !flow.variables.some((v) => v.id === id))) return { skip: true };
  const problem = scenarioProblem(flow.variables, values);
  if (problem !== undefined) return { problem };
  const scenario = completeScenario(flow.variables, values);
  const exclusion = exclusionOf(flow, scenario);
  if (!exclusion) return { scenario };
  const at = locate(exclusion.source);
  return { problem: `${scenarioText(scenario)} is excluded by ${at.file}:${at.line} (scenarios.exclude)` };
}

export function specOutputs(base: string, spec: CompiledSpec, selection: ScenarioSelection, templates?: TemplateSet): SpecOutputs {
  const { flow, locate } = spec;
  if (typeof selection === 'object') {
    const chosen = chooseScenario(spec, selection.values);
    if ('skip' in chosen) return { diagrams: [], diagnostics: [] };
    if ('problem' in chosen) {
      return { diagrams: [], diagnostics: [error(DiagnosticCodes.UNKNOWN_SCENARIO, `--scenario for ${locate([]).file}: ${chosen.problem}`)] };
    }
    const drawing = drawingOf(flow, chosen.scenario);
    return { diagrams: [{ name: drawingName(base, drawing), flow: drawing.flow }], diagnostics: [] };
  }

  const diagrams = [{ name: base, flow }];
  if (flow.variables.length === 0) return { diagrams, diagnostics: [] };
  const drawings = plannedDrawings(flow);
  if (selection === 'all') diagrams.push(...drawings.map((d) => ({ name: drawingName(base, d), flow: d.flow })));
  const { markdown } = specMatrix(spec, drawings, templates)!;
  return {
    diagrams,
    ...(markdown.value !== undefined ? { matrix: { name: base + MATRIX_EXTENSION, text: markdown.value } } : {}),
    diagnostics: markdown.diagnostics,
  };
}

/** The presence matrix of a spec, as data and as Markdown; none for a spec without variables, which has one scenario. */
export function specMatrix(
  { flow, locate }: CompiledSpec,
  drawings = plannedDrawings(flow),
  templates?: TemplateSet,
): { view: MatrixView; markdown: Result<string> } | undefined {
  if (flow.variables.length === 0) return undefined;
  const view = matrixView(flow, drawings, locate);
  return { view, markdown: markdownMatrix(view, templates) };
}

/** Every file a spec's build writes, generated in memory: what `build` writes and `check` compares. */
export interface GeneratedOutputs {
  /** File name in the output folder and text: each target's source of each diagram, and the matrix. */
  texts: [string, string][];
  /** The images to draw from those sources. */
  jobs: ImageJob[];
  diagnostics: Diagnostic[];
}

export function generateOutputs(
  base: string,
  spec: CompiledSpec,
  settings: {
    targets: readonly Target[];
    view: ViewOptions | undefined;
    imageFormats: readonly ImageFormat[];
    selection: ScenarioSelection;
    /** The project's templates (default: protoflow's own). */
    templates?: TemplateSet;
    /** The images' theme when the spec names none. */
    theme: Theme;
  },
): GeneratedOutputs {
  const planned = specOutputs(base, spec, settings.selection, settings.templates);
  const generated: GeneratedOutputs = {
    texts: planned.matrix ? [[planned.matrix.name, planned.matrix.text]] : [],
    jobs: [],
    diagnostics: [...planned.diagnostics],
  };
  const origin = { file: spec.locate([]).file, line: 1, column: 1 };
  for (const { name: diagram, flow } of planned.diagrams) {
    for (const target of settings.targets) {
      const text = generate(target, flow, settings.view, settings.templates);
      generated.diagnostics.push(...text.diagnostics);
      if (text.value === undefined) continue;
      const name = diagram + target.extension;
      generated.texts.push([name, text.value]);
      if (settings.imageFormats.length > 0 && isDrawn(target)) {
        generated.jobs.push({
          name,
          source: text.value,
          engine: target.engine,
          config: target.renderConfig,
          formats: settings.imageFormats,
          theme: spec.flow.theme ?? settings.theme,
          origin,
        });
      }
    }
  }
  return generated;
}
