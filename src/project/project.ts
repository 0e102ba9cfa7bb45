import { resolve } from 'node:path';
import type { CompileResult } from '../compile/load-spec.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { resolveDrawing } from '../render/drawing.js';
import { DEFAULT_DRAWING, type DrawingChoices, type ResolvedDrawing } from '../render/renderer.js';
import type { RenderSession } from '../render/session.js';
import { type Host, type NamedPath, namedPath } from '../shared/host.js';
import type { SourceFile } from '../source/source-file.js';
import type { Theme } from '../shared/theme.js';
import { bundledTemplates, type TemplateSet } from '../targets/generate.js';
import { TARGETS } from '../targets/registry.js';
import type { Target } from '../targets/target.js';
import type { ViewOptions } from '../views/options.js';
import { readSpecs } from './find-specs.js';
import { DEFAULT_RENDER_TIMEOUT_MS, OUTPUT_FORMATS, type OutputFormat, outputBase } from './output-names.js';
import { type GeneratedOutputs, generateOutputs, type ScenarioSelection } from './outputs.js';

/** What decides a project's outputs; every setting has the default the CLI has. */
export interface ProjectSettings {
  /** The spec folders: a spec's includes stay inside the one that holds it (default `specs`). */
  specRoots: readonly string[];
  /** The specs read: files or folders (default: the spec folders). */
  inputs: readonly string[];
  outDir: string;
  targets: readonly Target[];
  formats: readonly OutputFormat[];
  view: ViewOptions;
  scenarios: ScenarioSelection;
  templates: TemplateSet;
  drawing: DrawingChoices;
  /** Milliseconds one image may take to draw. */
  renderTimeoutMs: number;
}

/**
 * A protoflow project: the settings of one run (flags over the config file), the host it runs on
 * (working folder, environment), and what follows from them. The whole way from a spec to its
 * images, stage by stage (each a folder of src/):
 *
 *   read     spec files → SourceFile                         project/find-specs   source/
 *   compile  YAML → checked shape → includes → IR            compile/ (→ ir/, scenarios/ checks)
 *   plan     IR → each scenario's projection (scenarios/) → a view per diagram kind (views/)
 *            → each target's text from its templates (targets/, templates/) → image jobs
 *   draw     image jobs → SVG/PNG in one warm Chromium and JVM                      render/
 *
 * `build` writes the plan, `check` compares it with the output folder, `matrices` prints its
 * presence matrices, `docs` embeds from the compiled specs, `conform` draws through a session.
 * A spec is compiled once per project: a rebuild (`build --watch`) makes a new project.
 */
export class Project {
  readonly settings: Readonly<ProjectSettings>;
  /** Where outputs go: as the user named it, and on disk. */
  readonly outFolder: NamedPath;
  private readonly compiled: Map<string, { text: string; result: CompileResult }>;
  private drawingNow?: ResolvedDrawing;

  constructor(
    readonly host: Host,
    settings: Partial<ProjectSettings> = {},
    /** Specs compiled so far, shared by the projects `with` derives (the same run). */
    compiled = new Map<string, { text: string; result: CompileResult }>(),
  ) {
    const specRoots = settings.specRoots ?? ['specs'];
    this.settings = {
      specRoots,
      inputs: settings.inputs ?? specRoots,
      outDir: settings.outDir ?? 'out',
      targets: settings.targets ?? TARGETS,
      formats: settings.formats ?? OUTPUT_FORMATS,
      view: settings.view ?? {},
      scenarios: settings.scenarios ?? 'none',
      templates: settings.templates ?? bundledTemplates(),
      drawing: settings.drawing ?? DEFAULT_DRAWING,
      renderTimeoutMs: settings.renderTimeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS,
    };
    this.outFolder = namedPath(host, this.settings.outDir);
    this.compiled = compiled;
  }

  /** The same project with some settings changed, sharing the specs compiled so far. */
  with(changes: Partial<ProjectSettings>): Project {
    return new Project(this.host, { ...this.settings, ...changes }, this.compiled);
  }

  /** A path the user wrote, on disk. */
  resolve(path: string): string {
    return resolve(this.host.cwd, path);
  }

  /** Stage 1: the specs named (default: the project's inputs), read. */
  read(inputs: readonly string[] = this.settings.inputs): Promise<{ sources: SourceFile[]; diagnostics: Diagnostic[] }> {
    return readSpecs(inputs, this.settings.specRoots, this.host.cwd);
  }

  /** Stage 2: a spec compiled to its IR, once per project and text. */
  async compile(source: SourceFile): Promise<CompileResult> {
    const key = this.resolve(source.name);
    const known = this.compiled.get(key);
    if (known?.text === source.text) return known.result;
    // Loaded on first use: a build whose specs are all current never loads the parsers.
    const { compileSpec } = await import('../compile/load-spec.js');
    const result = compileSpec(source, this.host.cwd);
    this.compiled.set(key, { text: source.text, result });
    return result;
  }

  /** Stage 3: every file a compiled spec's build writes, texts generated and images to draw (with the presence matrix). */
  plan(source: SourceFile, compiled: NonNullable<CompileResult['value']>): GeneratedOutputs {
    const { targets, view, formats, scenarios, templates } = this.settings;
    const imageFormats = formats.filter((f) => f !== 'source');
    return generateOutputs(outputBase(source.name), compiled, {
      targets,
      view,
      imageFormats,
      selection: scenarios,
      templates,
      theme: this.theme(),
    });
  }

  /** The theme of the images of a spec that names none. */
  theme(): Theme {
    return this.settings.drawing.theme ?? 'light';
  }

  /** How images are drawn: `auto` decided once per project (is there a Java?). */
  drawing(): ResolvedDrawing {
    this.drawingNow ??= resolveDrawing(this.settings.drawing, this.host.env);
    return this.drawingNow;
  }

  /** Stage 4: renderers to draw a plan's images with, started on first use; the caller closes them. */
  async renderSession(): Promise<RenderSession> {
    const { RenderSession } = await import('../render/session.js');
    return new RenderSession(this.settings.renderTimeoutMs, this.drawing(), this.host);
  }
}
