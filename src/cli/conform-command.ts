import { mkdir } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Project } from '../project/project.js';
import { inside } from '../shared/host.js';
import { writeFileAtomic } from '../shared/write-atomic.js';
import { conform, type Conformance, type ScenarioFit } from '../conform/conform.js';
import { observedFlow } from '../conform/observed-flow.js';
import { DiagnosticCodes, error, failureReason, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnosticsToJson } from '../diagnostics/format.js';
import { renderImages } from '../render/render-images.js';
import type { ImageFormat } from '../render/renderer.js';
import { scenarioText } from '../scenarios/scenario.js';
import { readRegularFile, readSourceFile, type SourceFile } from '../source/source-file.js';
import type { CompiledSpec } from '../compile/load-spec.js';
import { specRoot } from '../project/find-specs.js';
import { generate } from '../targets/generate.js';
import { mermaidSequence } from '../targets/mermaid-sequence.js';
import { plantumlSequence } from '../targets/plantuml-sequence.js';
import { isDrawn } from '../targets/target.js';
import { findRecordingReader, readRecording, RECORDING_READERS } from '../trace/recording.js';
import { didYouMean } from '../shared/suggest.js';
import { type CommandContext, type Output, UsageError } from './context.js';
import { commandName } from './invocation.js';
import { openProject } from './settings.js';
import { type Endpoint, traceLocation, type RecordedTrace, type RecordingReader } from '../trace/trace.js';
import { parseEndpoint } from '../trace/capture.js';
import { messagesAndActions } from '../ir/steps.js';
import type { Result } from '../diagnostics/diagnostic.js';
import { EXIT, printDiagnostics } from './output.js';

export interface ConformOptions {
  spec: string;
  trace: string;
  side: string;
  reader?: RecordingReader;
  /** How a packet capture is read: tshark's decode-as rules, a TLS key log, the side's endpoint. */
  capture: { decodeAs: string[]; keylog?: string; endpoint?: Endpoint };
  /** Draw the recording against the best scenario in the project's output folder (`--diagram DIR`). */
  draw: boolean;
}

/** The sequence targets a recording is drawn in. */
const DIAGRAM_TARGETS = [plantumlSequence, mermaidSequence];

/** `protoflow conform SPEC --trace FILE --side ID`: its arguments checked, then the recording compared. */
export async function runConform(context: CommandContext): Promise<number> {
  const { inputs, values } = context;
  if (inputs.length !== 1) throw new UsageError(`conform checks one spec: ${commandName()} conform SPEC --trace FILE --side PARTICIPANT`);
  if (values.trace === undefined) throw new UsageError("conform needs the recorded trace: --trace FILE (openssl s_client -msg, or Node's enableTrace())");
  if (values.side === undefined) throw new UsageError('conform needs the participant that recorded the trace: --side PARTICIPANT, e.g. --side client');
  let reader: RecordingReader | undefined;
  if (values['trace-format'] !== undefined) {
    reader = findRecordingReader(values['trace-format']);
    if (!reader) {
      const names = RECORDING_READERS.map((r) => r.name);
      const hint = didYouMean(values['trace-format'], names);
      throw new UsageError(`unknown trace format "${values['trace-format']}"${hint ? `; ${hint}` : ''} (formats: ${names.join(', ')})`);
    }
  }
  if (
    values.diagram === undefined &&
    (values.formats !== undefined || values.templates !== undefined || values['plantuml-engine'] !== undefined || values.theme !== undefined)
  ) {
    throw new UsageError('--formats, --templates, --plantuml-engine and --theme shape the drawing of the recording: give --diagram DIR too');
  }
  const endpoint = values.endpoint === undefined ? undefined : parseEndpoint(values.endpoint);
  if (values.endpoint !== undefined && !endpoint) throw new UsageError(`--endpoint ${values.endpoint}: give ADDRESS:PORT, :PORT or ADDRESS`);
  const decodeAs = values['decode-as'] ?? [];
  for (const rule of decodeAs) {
    if (!/^[a-z0-9_.]+==[^,]+,[A-Za-z0-9_.-]+$/.test(rule)) throw new UsageError(`--decode-as ${rule}: give LAYER==VALUE,PROTOCOL, e.g. tcp.port==21883,mqtt`);
  }
  const opened = await openProject(context);
  if (!opened) return EXIT.specErrors;
  // The recording is drawn in the sequence targets, into --diagram DIR, as source unless --formats says more.
  const project = opened.project.with({
    targets: DIAGRAM_TARGETS,
    formats: values.formats !== undefined ? opened.project.settings.formats : ['source'],
    ...(values.diagram !== undefined ? { outDir: values.diagram } : {}),
  });
  const capture = {
    decodeAs,
    ...(values.keylog !== undefined ? { keylog: values.keylog } : {}),
    ...(endpoint ? { endpoint } : {}),
  };
  const options = { spec: inputs[0]!, trace: values.trace, side: values.side, ...(reader ? { reader } : {}), capture, draw: values.diagram !== undefined };
  return conformRecording(project, options, context.output);
}

async function conformRecording(project: Project, options: ConformOptions, output: Output): Promise<number> {
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

  const specFile = await readSourceFile(project.resolve(options.spec), options.spec);
  diagnostics.push(...specFile.diagnostics);
  if (!specFile.value) return finish();
  sources.push(specFile.value);
  const compiled = await project.compile({ ...specFile.value, root: specRoot(options.spec, project.settings.specRoots, project.host.cwd) });
  diagnostics.push(...compiled.diagnostics);
  if (!compiled.value || hasErrors(diagnostics)) return finish();
  const recorded = await readRecordingOf(project, options, compiled.value, sources);
  diagnostics.push(...recorded.diagnostics);
  if (!recorded.value || hasErrors(diagnostics)) return finish();
  const checked = conformBestReading(compiled.value, recorded.value, options.side);
  diagnostics.push(...checked.diagnostics);
  // An unknown --side is a wrong command line, found only once the spec is read.
  if (checked.diagnostics.some((d) => d.code === DiagnosticCodes.UNKNOWN_SIDE)) {
    await finish();
    return EXIT.usage;
  }
  if (!checked.value) return finish();
  const diagrams = options.draw ? await drawRecording(checked.value, project, options.trace, diagnostics) : [];
  return finish(checked.value, diagrams, otherSide(compiled.value, checked.value));
}

/** The recording, read by the reader named or by the one that recognizes it. */
async function readRecordingOf(project: Project, options: ConformOptions, spec: CompiledSpec, sources: SourceFile[]): Promise<Result<RecordedTrace[]>> {
  const path = project.resolve(options.trace);
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(path);
  } catch (cause) {
    return { diagnostics: [error(DiagnosticCodes.FILE_UNREADABLE, `cannot read ${options.trace}: ${failureReason(cause)}`)] };
  }
  const { keylog, ...capture } = options.capture;
  const context = {
    messages: messagesAndActions(spec.flow.phases.flatMap((p) => p.steps)).filter((s) => s.kind === 'message'),
    capture: { ...capture, ...(keylog !== undefined ? { keylog: project.resolve(keylog) } : {}) },
    env: project.host.env,
    timeoutMs: project.settings.renderTimeoutMs,
  };
  const { source, ...read } = await readRecording({ name: options.trace, path, bytes }, context, options.reader);
  if (source) sources.push(source);
  return read;
}

/** The recording read against the spec; a capture read from either end, the reading that fits best. */
function conformBestReading(spec: CompiledSpec, readings: RecordedTrace[], side: string): Result<Conformance> {
  const results = readings.map((trace) => conform(spec, trace, side));
  const cost = (result: Result<Conformance>) => result.value?.fits[0]?.cost ?? Number.POSITIVE_INFINITY;
  return results.reduce((best, result) => (cost(result) < cost(best) ? result : best));
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
async function drawRecording(conformance: Conformance, project: Project, trace: string, diagnostics: Diagnostic[]): Promise<string[]> {
  const flow = observedFlow(conformance, conformance.fits[0]!);
  const base = `${basename(trace, extname(trace))}.conform`;
  const written: string[] = [];
  const jobs = [];
  const { formats, targets, templates } = project.settings;
  const out = project.outFolder;
  const imageFormats = formats.filter((f): f is ImageFormat => f !== 'source');
  try {
    await mkdir(out.path, { recursive: true });
  } catch (cause) {
    diagnostics.push(error(DiagnosticCodes.OUTPUT_FAILED, `cannot create ${out.name}: ${failureReason(cause)}`));
    return written;
  }
  for (const target of targets) {
    const text = generate(target, flow, {}, templates);
    diagnostics.push(...text.diagnostics);
    if (text.value === undefined) continue;
    const name = `${base}${target.extension}`;
    if (imageFormats.length > 0 && isDrawn(target)) {
      jobs.push({
        name,
        source: text.value,
        engine: target.engine,
        config: target.renderConfig,
        formats: imageFormats,
        theme: flow.theme ?? project.theme(),
        origin: { file: trace, line: 1, column: 1 },
      });
    }
    if (!formats.includes('source')) continue;
    const file = inside(out, name);
    try {
      await writeFileAtomic(file.path, text.value);
      written.push(file.name);
    } catch (cause) {
      diagnostics.push(error(DiagnosticCodes.OUTPUT_FAILED, `cannot write ${file.name}: ${failureReason(cause)}`));
    }
  }
  if (jobs.length > 0) {
    const session = await project.renderSession();
    try {
      const drawn = await renderImages(jobs, { outDir: out, manifest: new Map(), force: true, session });
      diagnostics.push(...drawn.diagnostics);
      written.push(...drawn.written);
    } finally {
      await session.close();
    }
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
      const where = traceLocation(trace, deviation.traceLine);
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
      unit: trace.unit ?? 'line',
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
