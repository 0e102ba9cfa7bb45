import { mkdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { OutputFormat } from '../project/build.js';
import { writeFileAtomic } from '../shared/write-atomic.js';
import { conform, type Conformance, type ScenarioFit } from '../conform/conform.js';
import { observedFlow } from '../conform/observed-flow.js';
import { DiagnosticCodes, error, failureReason, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnosticsToJson } from '../diagnostics/format.js';
import type { DrawingChoices } from '../render/renderer.js';
import { renderImages } from '../render/render-images.js';
import type { ImageFormat } from '../render/renderer.js';
import { scenarioText } from '../scenarios/scenario.js';
import { readSourceFile, type SourceFile } from '../source/source-file.js';
import { compileSpec, type CompiledSpec } from '../compile/load-spec.js';
import { specRoot } from '../project/find-specs.js';
import { generate, type TemplateSet } from '../targets/generate.js';
import { mermaidSequence } from '../targets/mermaid-sequence.js';
import { plantumlSequence } from '../targets/plantuml-sequence.js';
import { findTraceReader, readTrace, TRACE_READERS } from '../trace/readers.js';
import { didYouMean } from '../shared/suggest.js';
import { type CommandContext, type Output, UsageError } from './context.js';
import { commandName } from './invocation.js';
import { parseFormats, renderTimeoutMs, settings } from './settings.js';
import type { TraceReader } from '../trace/trace.js';
import { EXIT, printDiagnostics } from './output.js';

export interface ConformOptions {
  spec: string;
  /** The project's spec folders: the spec's includes stay inside the one that holds it (see `specRoot`). */
  specRoots?: readonly string[];
  trace: string;
  side: string;
  reader?: TraceReader;
  /** Where to write the drawing of the recording against the best scenario. */
  diagramDir?: string;
  formats: readonly OutputFormat[];
  renderTimeoutMs: number;
  drawing: DrawingChoices;
  templates?: TemplateSet;
}

/** The sequence targets a recording is drawn in. */
const DIAGRAM_TARGETS = [plantumlSequence, mermaidSequence];

/** `protoflow conform SPEC --trace FILE --side ID`: exit 0 when a scenario matches the recording exactly, 1 otherwise. */
/** `protoflow conform SPEC --trace FILE --side ID`: its arguments checked, then the recording compared. */
export async function runConform(context: CommandContext): Promise<number> {
  const { inputs, values } = context;
  if (inputs.length !== 1) throw new UsageError(`conform checks one spec: ${commandName()} conform SPEC --trace FILE --side PARTICIPANT`);
  if (values.trace === undefined) throw new UsageError("conform needs the recorded trace: --trace FILE (openssl s_client -msg, or Node's enableTrace())");
  if (values.side === undefined) throw new UsageError('conform needs the participant that recorded the trace: --side PARTICIPANT, e.g. --side client');
  let reader: TraceReader | undefined;
  if (values['trace-format'] !== undefined) {
    reader = findTraceReader(values['trace-format']);
    if (!reader) {
      const names = TRACE_READERS.map((r) => r.name);
      const hint = didYouMean(values['trace-format'], names);
      throw new UsageError(`unknown trace format "${values['trace-format']}"${hint ? `; ${hint}` : ''} (formats: ${names.join(', ')})`);
    }
  }
  if (
    values.diagram === undefined &&
    (values.formats !== undefined || values.templates !== undefined || values['render-timeout'] !== undefined || values['plantuml-engine'] !== undefined)
  ) {
    throw new UsageError('--formats, --templates, --render-timeout and --plantuml-engine shape the drawing of the recording: give --diagram DIR too');
  }
  const project = await settings(context);
  if (!project) return EXIT.specErrors;
  return conformRecording(
    {
      spec: inputs[0]!,
      specRoots: project.specRoots,
      trace: values.trace,
      side: values.side,
      ...(reader ? { reader } : {}),
      ...(values.diagram !== undefined ? { diagramDir: values.diagram } : {}),
      formats: values.formats !== undefined ? parseFormats(values.formats) : ['source'],
      renderTimeoutMs: renderTimeoutMs(context),
      drawing: project.drawing,
      templates: project.templates,
    },
    context.output,
  );
}

async function conformRecording(options: ConformOptions, output: Output): Promise<number> {
  const { io } = output;
  const sources: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const finish = async (conformance?: Conformance, diagrams: string[] = [], otherSide?: OtherSide): Promise<number> => {
    const sorted = sortDiagnostics(diagnostics);
    const best = conformance?.fits[0];
    const conforms = best?.cost === 0 && !hasErrors(sorted);
    if (output.format === 'json') {
      const other = otherSide ? { otherSide: { side: otherSide.side, cost: otherSide.cost } } : {};
      io.stdout.write(`${diagnosticsToJson(sorted, { conforms, ...(conformance ? conformanceJson(conformance, options.spec) : {}), ...other, diagrams })}\n`);
    } else {
      await printDiagnostics(sorted, sources, io, output.noColor);
      if (conformance) io.stdout.write(conformanceText(conformance, options.spec));
      if (otherSide) {
        const reads = otherSide.cost === 0 ? 'conforms' : `costs ${otherSide.cost}`;
        io.stdout.write(`hint: read as recorded by ${otherSide.label} (--side ${otherSide.side}), the recording ${reads}: is --side right?\n`);
      }
      if (diagrams.length > 0) io.stdout.write(diagrams.map((file) => `wrote ${file}\n`).join(''));
    }
    return conforms ? EXIT.ok : EXIT.specErrors;
  };

  const [specFile, traceFile] = await Promise.all([readSourceFile(options.spec), readSourceFile(options.trace)]);
  diagnostics.push(...specFile.diagnostics, ...traceFile.diagnostics);
  if (!specFile.value || !traceFile.value) return finish();
  sources.push(specFile.value, traceFile.value);
  const compiled = compileSpec({ ...specFile.value, root: specRoot(options.spec, options.specRoots ?? []) });
  const recorded = readTrace(traceFile.value, options.reader);
  diagnostics.push(...compiled.diagnostics, ...recorded.diagnostics);
  if (!compiled.value || !recorded.value || hasErrors(diagnostics)) return finish();
  const checked = conform(compiled.value, recorded.value, options.side);
  diagnostics.push(...checked.diagnostics);
  // An unknown --side is a wrong command line, found only once the spec is read.
  if (checked.diagnostics.some((d) => d.code === DiagnosticCodes.UNKNOWN_SIDE)) {
    await finish();
    return EXIT.usage;
  }
  if (!checked.value) return finish();
  const diagrams = options.diagramDir === undefined ? [] : await drawRecording(checked.value, options.diagramDir, options, diagnostics);
  return finish(checked.value, diagrams, otherSide(compiled.value, checked.value));
}

interface OtherSide {
  side: string;
  label: string;
  cost: number;
}

/** When the recording does not conform: the peer, if read as the peer's recording it fits better (a wrong --side). */
function otherSide(spec: CompiledSpec, conformance: Conformance): OtherSide | undefined {
  const cost = conformance.fits[0]!.cost;
  if (cost === 0) return undefined;
  const other = conform(spec, conformance.trace, conformance.peer.id).value?.fits[0];
  return other && other.cost < cost ? { side: conformance.peer.id, label: conformance.peer.label, cost: other.cost } : undefined;
}

/** The recording against its best scenario, in each sequence target (and as images when asked). */
async function drawRecording(conformance: Conformance, dir: string, options: ConformOptions, diagnostics: Diagnostic[]): Promise<string[]> {
  const flow = observedFlow(conformance, conformance.fits[0]!);
  const base = `${basename(options.trace, extname(options.trace))}.conform`;
  const written: string[] = [];
  const jobs = [];
  const imageFormats = options.formats.filter((f): f is ImageFormat => f !== 'source');
  try {
    await mkdir(dir, { recursive: true });
  } catch (cause) {
    diagnostics.push(error(DiagnosticCodes.OUTPUT_FAILED, `cannot create ${dir}: ${failureReason(cause)}`));
    return written;
  }
  for (const target of DIAGRAM_TARGETS) {
    const text = generate(target, flow, {}, options.templates);
    diagnostics.push(...text.diagnostics);
    if (text.value === undefined) continue;
    const name = `${base}${target.extension}`;
    if (imageFormats.length > 0) {
      jobs.push({
        name,
        source: text.value,
        engine: target.engine,
        config: target.renderConfig,
        formats: imageFormats,
        origin: { file: options.trace, line: 1, column: 1 },
      });
    }
    if (!options.formats.includes('source')) continue;
    try {
      await writeFileAtomic(join(dir, name), text.value);
      written.push(join(dir, name));
    } catch (cause) {
      diagnostics.push(error(DiagnosticCodes.OUTPUT_FAILED, `cannot write ${join(dir, name)}: ${failureReason(cause)}`));
    }
  }
  if (jobs.length > 0) {
    const drawn = await renderImages(jobs, { outDir: dir, manifest: new Map(), timeoutMs: options.renderTimeoutMs, drawing: options.drawing, force: true });
    diagnostics.push(...drawn.diagnostics);
    written.push(...drawn.written);
  }
  return written;
}

function conformanceText(conformance: Conformance, specName: string): string {
  const { trace, side, fits } = conformance;
  const best = fits[0]!;
  const facts = Object.values(trace.facts).map((fact) => fact.value);
  const lines = [`${trace.file} (${trace.format}, recorded by ${side.label}): ${[...facts, `${trace.events.length} message(s)`].join(', ')}`];
  const exact = fits.filter((fit) => fit.cost === 0);
  if (exact.length > 0) {
    lines.push(`conforms to ${specName}, scenario ${best.title}`);
    if (exact.length > 1)
      lines.push(
        `  it matches these scenarios just as exactly: ${exact
          .slice(1)
          .map((fit) => fit.title)
          .join('; ')}`,
      );
  } else {
    lines.push(`does not conform to ${specName}: closest scenario ${best.title}, ${best.deviations.length} deviation(s) (cost ${best.cost})`);
    for (const deviation of best.deviations) {
      const where = deviation.traceLine !== undefined ? `${trace.file}:${deviation.traceLine}` : trace.file;
      const spec = deviation.spec ? ` (${deviation.spec.file}:${deviation.spec.line})` : '';
      lines.push(`  ${where} ${deviation.message}${spec}`);
    }
    const next = fits.slice(1, 3).map((fit) => `${fit.title} (cost ${fit.cost})`);
    if (next.length > 0) lines.push(`next closest: ${next.join('; ')}`);
  }
  return `${lines.join('\n')}\n`;
}

function conformanceJson(conformance: Conformance, specName: string): Record<string, unknown> {
  const { trace, side, peer, fits } = conformance;
  const fitJson = (fit: ScenarioFit) => ({ scenario: scenarioText(fit.scenario), title: fit.title, cost: fit.cost, deviations: fit.deviations });
  return {
    spec: specName,
    trace: {
      file: trace.file,
      format: trace.format,
      side: side.id,
      peer: peer.id,
      facts: trace.facts,
      events: trace.events.map((e) => ({ name: e.name, direction: e.sent ? 'sent' : 'received', line: e.line })),
    },
    best: fitJson(fits[0]!),
    exact: fits.filter((fit) => fit.cost === 0).map((fit) => scenarioText(fit.scenario)),
    ranking: fits.map(({ scenario, title, cost }) => ({ scenario: scenarioText(scenario), title, cost })),
  };
}
