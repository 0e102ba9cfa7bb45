import type { CompiledSpec } from '../compile/load-spec.js';
import { errorCount, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { drawingName, generateOutputs, specMatrix } from '../project/outputs.js';
import { outputBase } from '../project/output-names.js';
import { Project } from '../project/project.js';
import { SpecWatcher } from '../project/spec-watcher.js';
import type { ImageJob } from '../render/render-images.js';
import type { RenderOutcome } from '../render/renderer.js';
import type { RenderSession } from '../render/session.js';
import { drawingOf } from '../scenarios/plan.js';
import { completeScenario, scenarioProblem } from '../scenarios/scenario.js';
import type { SourceFile } from '../source/source-file.js';
import { TemplateSet } from '../targets/generate.js';
import type { MatrixView } from '../views/matrix.js';

/** One diagram of a spec page: the target, and the name its source and images are served under. */
export interface PageDiagram {
  target: string;
  /** The source's output name (`https-tls12.sequence.mmd`); its SVG is `NAME.svg`. */
  name: string;
}

/** What a spec's page shows: its diagrams (last good ones while the spec is broken), its scenarios, its problems. */
export interface SpecPage {
  spec: string;
  title: string;
  /** Goes up with every change of the spec: images are asked for with it, so a browser never shows an old one. */
  version: number;
  variables: { id: string; label: string; default: string; values: { id: string; label: string }[] }[];
  /** The scenario shown: every variable's value; none for the full diagrams. */
  scenario?: Record<string, string>;
  diagrams: PageDiagram[];
  matrix?: MatrixView;
  /** The diagnostics as text with code frames; empty when there is none. */
  problems: string;
  errors: number;
  /** The diagrams are the last good ones: the spec does not compile now. */
  stale: boolean;
}

/** A spec as the preview knows it: its latest text and diagnostics, and the last version that compiled. */
interface SpecState {
  name: string;
  version: number;
  source?: SourceFile;
  diagnostics: Diagnostic[];
  good?: CompiledSpec;
}

/** Formats diagnostics as text with code frames (the CLI's printer, without colour). */
export type ProblemPrinter = (diagnostics: readonly Diagnostic[], sources: readonly SourceFile[]) => Promise<string>;

/**
 * The state behind `protoflow preview`: every spec of a project compiled, kept current as files
 * change, each diagram's SVG drawn once per source text by the warm renderers (the ones asked for
 * last first) and kept in memory. Nothing is written to disk.
 */
export class Previewer {
  private readonly specs = new Map<string, SpecState>();
  /** Every diagram source known by output name: the full diagrams and the scenarios asked for. */
  private readonly jobs = new Map<string, ImageJob>();
  /** Drawn images by output name and source: an unchanged diagram is never drawn again. */
  private readonly drawn = new Map<string, Promise<RenderOutcome>>();
  private readonly listeners = new Set<(spec: string, version: number) => void>();
  private readonly watcher: SpecWatcher;
  private templates: TemplateSet;
  /** The output name asked for last: after a change, it is drawn first. */
  private focus?: string;

  constructor(
    private readonly project: Project,
    private readonly session: RenderSession,
    private readonly printProblems: ProblemPrinter,
  ) {
    this.templates = project.settings.templates;
    this.watcher = new SpecWatcher(project, async ({ specs, templates, deleted }) => {
      if (templates) this.templates = new TemplateSet(this.templates.dir);
      // A deleted spec leaves the index.
      for (const file of deleted.filter((name) => this.specs.delete(name))) for (const listener of this.listeners) listener(file, 0);
      const inputs = templates ? project.settings.inputs : specs;
      if (inputs.length > 0) await this.load(inputs);
    });
  }

  /** Reads and compiles every spec, then watches them. */
  async start(): Promise<void> {
    await this.load(this.project.settings.inputs);
    await this.watcher.start();
  }

  async close(): Promise<void> {
    await this.watcher.close();
  }

  /** Told after each change of a spec. */
  onChange(listener: (spec: string, version: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The specs, in file order, with their number of errors. */
  index(): { spec: string; title: string; errors: number }[] {
    return [...this.specs.values()].map((s) => ({ spec: s.name, title: s.good?.flow.title || s.name, errors: errorCount(s.diagnostics) }));
  }

  /** A spec's page, in the scenario given (values of some variables, the rest at their default), or its full diagrams. */
  async page(spec: string, values?: Readonly<Record<string, string>>): Promise<SpecPage | { problem: string } | undefined> {
    const state = this.specs.get(spec);
    if (!state) return undefined;
    const compiled = state.good;
    const problems = state.diagnostics.length > 0 ? await this.printProblems(state.diagnostics, state.source ? [state.source] : []) : '';
    const page: SpecPage = {
      spec,
      title: compiled?.flow.title || spec,
      version: state.version,
      variables: (compiled?.flow.variables ?? []).map((v) => ({ id: v.id, label: v.label, default: v.default, values: v.values })),
      diagrams: [],
      problems,
      errors: errorCount(state.diagnostics),
      stale: compiled !== undefined && errorCount(state.diagnostics) > 0,
    };
    if (!compiled) return page;
    const base = outputBase(spec);
    let flow = compiled.flow;
    let name = base;
    if (values !== undefined && Object.keys(values).length > 0) {
      const problem = scenarioProblem(flow.variables, values);
      if (problem !== undefined) return { problem };
      const drawing = drawingOf(flow, completeScenario(flow.variables, values));
      flow = drawing.flow;
      name = drawingName(base, drawing);
      page.scenario = Object.fromEntries(completeScenario(compiled.flow.variables, values));
    }
    const matrix = specMatrix(compiled, undefined, this.templates);
    if (matrix) page.matrix = matrix.view;
    const generated = generateOutputs(name, { ...compiled, flow }, this.planSettings());
    for (const job of generated.jobs) this.jobs.set(job.name, job);
    page.diagrams = this.project.settings.targets.flatMap((target) => {
      const job = generated.jobs.find((j) => j.name === name + target.extension);
      return job ? [{ target: target.name, name: job.name }] : [];
    });
    return page;
  }

  /** The SVG or PNG (`NAME.svg`, `NAME.png`) or the source (`NAME`) of a diagram known to the preview, drawn on demand. */
  async file(file: string): Promise<{ type: string; body: Uint8Array | string } | { problem: string } | undefined> {
    const source = this.jobs.get(file);
    if (source) return { type: 'text/plain; charset=utf-8', body: source.source };
    const format = file.endsWith('.svg') ? 'svg' : file.endsWith('.png') ? 'png' : undefined;
    const job = format && this.jobs.get(file.slice(0, -'.svg'.length));
    if (!format || !job) return undefined;
    this.focus = job.name;
    const outcome = await this.draw(job, format);
    if (outcome.kind !== 'image') return { problem: 'message' in outcome ? outcome.message : 'not drawn: the preview is stopping' };
    return { type: format === 'svg' ? 'image/svg+xml' : 'image/png', body: outcome.data };
  }

  private planSettings() {
    const { targets, view } = this.project.settings;
    return { targets, view, imageFormats: ['svg'] as const, selection: 'none' as const, templates: this.templates, theme: this.project.theme() };
  }

  /** The image of a job, drawn once per source: a PNG from its SVG. */
  private draw(job: ImageJob, format: 'svg' | 'png'): Promise<RenderOutcome> {
    const key = drawnKey(job, format);
    let outcome = this.drawn.get(key);
    if (!outcome) {
      const renderer = this.session.renderer(job.engine);
      outcome =
        format === 'svg'
          ? this.session.draw(job, ['svg']).then((drawn) => drawn.get('svg')!)
          : this.draw(job, 'svg').then((svg) => (svg.kind === 'image' ? renderer.png(svg.data) : svg));
      this.drawn.set(key, outcome);
    }
    return outcome;
  }

  /** Reads and compiles the specs named (each afresh), then draws their full diagrams' SVGs, the one in view first. */
  private async load(inputs: readonly string[]): Promise<void> {
    const project = new Project(this.project.host, { ...this.project.settings, inputs, templates: this.templates });
    const { sources, diagnostics } = await project.read();
    const fresh: ImageJob[] = [];
    for (const source of sources) {
      const state = this.specs.get(source.name) ?? { name: source.name, version: 0, diagnostics: [] };
      this.specs.set(source.name, state);
      const compiled = await project.compile(source);
      this.watcher.included(
        source.name,
        compiled.files.map((file) => file.path),
      );
      state.source = source;
      state.version++;
      state.diagnostics = sortDiagnostics([...compiled.diagnostics]);
      if (compiled.value) {
        state.good = compiled.value;
        const generated = generateOutputs(outputBase(source.name), compiled.value, this.planSettings());
        state.diagnostics = sortDiagnostics([...state.diagnostics, ...generated.diagnostics]);
        for (const job of generated.jobs) {
          const before = this.jobs.get(job.name);
          if (before?.source === job.source) continue;
          if (before) for (const format of ['svg', 'png']) this.drawn.delete(drawnKey(before, format));
          fresh.push(job);
          this.jobs.set(job.name, job);
        }
      }
    }
    // A spec or folder that cannot be read is shown on the index as a problem of its own.
    for (const problem of diagnostics) {
      const name = problem.span?.file ?? inputs.join(', ');
      this.specs.set(name, { name, version: (this.specs.get(name)?.version ?? 0) + 1, diagnostics: [problem] });
    }
    fresh.sort((a, b) => Number(b.name === this.focus) - Number(a.name === this.focus));
    for (const job of fresh) void this.draw(job, 'svg');
    for (const source of sources) for (const listener of this.listeners) listener(source.name, this.specs.get(source.name)!.version);
  }
}

function drawnKey(job: ImageJob, format: string): string {
  return `${format}\0${job.name}\0${job.source}`;
}
