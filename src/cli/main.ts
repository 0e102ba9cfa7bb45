import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build, DEFAULT_RENDER_TIMEOUT_MS, OUTPUT_FORMATS, type OutputFormat } from '../project/build.js';
import type { ScenarioSelection } from '../project/outputs.js';
import { PLANTUML_ENGINES, type DrawingChoices, type PlantUmlEngine } from '../render/renderer.js';
import { errorCount, hasErrors, sortDiagnostics } from '../diagnostics/diagnostic.js';
import { parseValues } from '../scenarios/scenario.js';
import { didYouMean } from '../shared/suggest.js';
import { findTarget, TARGETS } from '../targets/registry.js';
import type { Target } from '../targets/target.js';
import type { TraceReader } from '../trace/trace.js';
import type { Config, LoadedConfig } from './config.js';
import { CONFIG_FILES } from './config-files.js';
import { EXIT, printDiagnostics, type Io } from './output.js';
import { USAGE } from './usage.js';
import { commandName, ownManifest } from './invocation.js';
import { SPEC_FILE } from '../compile/include-path.js';

const COMMANDS = ['build', 'check', 'validate', 'matrix', 'docs', 'schema', 'init', 'conform', 'doctor'] as const;

class UsageError extends Error {}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    return await run(argv, io);
  } catch (cause) {
    if (cause instanceof UsageError || (cause instanceof TypeError && 'code' in cause && String(cause.code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr.write(`protoflow: ${cause.message}\nRun "${commandName()} --help" for usage.\n`);
      return EXIT.usage;
    }
    throw cause;
  }
}

async function run(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      targets: { type: 'string', short: 't' },
      formats: { type: 'string' },
      'render-timeout': { type: 'string' },
      force: { type: 'boolean' },
      scenario: { type: 'string', short: 's', multiple: true },
      'all-scenarios': { type: 'boolean' },
      format: { type: 'string', short: 'f' },
      'no-color': { type: 'boolean' },
      'no-flowchart-notes': { type: 'boolean' },
      'plantuml-engine': { type: 'string' },
      templates: { type: 'string' },
      watch: { type: 'boolean', short: 'w' },
      quiet: { type: 'boolean', short: 'q' },
      verbose: { type: 'boolean' },
      trace: { type: 'string' },
      side: { type: 'string' },
      'trace-format': { type: 'string' },
      diagram: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (values.version) {
    io.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  const [command, ...inputs] = positionals;
  if (command === undefined) {
    io.stderr.write(USAGE);
    return EXIT.usage;
  }
  if (!(COMMANDS as readonly string[]).includes(command)) {
    const hint = didYouMean(command, COMMANDS);
    throw new UsageError(`unknown command "${command}"${hint ? `; ${hint}` : ''}`);
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be "text" or "json", not "${format}"`);
  const output = { format: format === 'json' ? ('json' as const) : ('text' as const), io, noColor: values['no-color'] ?? false };
  const buildOnly = [
    'out',
    'targets',
    'formats',
    'render-timeout',
    'force',
    'no-flowchart-notes',
    'scenario',
    'all-scenarios',
    'templates',
    'watch',
    'plantuml-engine',
  ] as const;
  // check compares with what build would write, so it takes what decides that (the PlantUML engine
  // decides which images are current), but draws nothing.
  const drawingOnly = ['render-timeout', 'force', 'watch'] as const;
  if (command === 'check' && drawingOnly.some((o) => values[o] !== undefined)) {
    throw new UsageError(`check draws nothing: ${drawingOnly.map((o) => `--${o}`).join(', ')} belong to build`);
  }
  // docs embeds what build writes: it takes the options that decide that text or the images' place.
  const docsOptions: readonly string[] = ['out', 'no-flowchart-notes', 'templates'];
  if (command === 'docs' && buildOnly.some((o) => values[o] !== undefined && !docsOptions.includes(o))) {
    throw new UsageError(`docs takes ${docsOptions.map((o) => `--${o}`).join(', ')} of the build options; a region names its own target and scenario`);
  }
  const conformOnly = ['trace', 'side', 'trace-format', 'diagram'] as const;
  if (command !== 'conform' && conformOnly.some((o) => values[o] !== undefined)) {
    throw new UsageError(`${conformOnly.map((o) => `--${o}`).join(', ')} belong to conform`);
  }
  // conform draws the recording only when asked (--diagram), in the formats and with the templates asked for.
  const conformOptions: readonly string[] = ['formats', 'render-timeout', 'templates', 'plantuml-engine'];
  if (command === 'conform' && buildOnly.some((o) => values[o] !== undefined && !conformOptions.includes(o))) {
    throw new UsageError(`conform takes ${conformOptions.map((o) => `--${o}`).join(', ')} of the build options, for its --diagram`);
  }
  if (command === 'doctor' && (inputs.length > 0 || buildOnly.some((o) => values[o] !== undefined && o !== 'plantuml-engine'))) {
    throw new UsageError("doctor checks this machine for the project's config: it takes only --plantuml-engine and --format");
  }
  if (
    command !== 'build' &&
    command !== 'check' &&
    command !== 'docs' &&
    command !== 'conform' &&
    command !== 'doctor' &&
    buildOnly.some((o) => values[o] !== undefined)
  ) {
    throw new UsageError(`${command} writes nothing: ${buildOnly.map((o) => `--${o}`).join(', ')} belong to build`);
  }
  if ((values.quiet || values.verbose) && ((command !== 'build' && command !== 'validate') || values.watch)) {
    throw new UsageError('--quiet and --verbose are for build (not --watch) and validate');
  }
  if (values.quiet && values.verbose) throw new UsageError('--quiet and --verbose contradict each other: choose one');
  if (values.scenario !== undefined && values['all-scenarios']) {
    throw new UsageError('--scenario draws one scenario and --all-scenarios every one: choose one of them');
  }
  const loaded = command === 'schema' ? NO_CONFIG : await readConfig(io, values['no-color'] ?? false);
  if (loaded === undefined) return EXIT.specErrors;
  const { config } = loaded;
  // The project's spec folders: a spec's includes stay inside the one that holds it.
  const specRoots = [config.specs ?? 'specs'].flat();
  const specs = inputs.length > 0 ? inputs : specRoots;
  if (command === 'matrix') return printMatrices(specs, specRoots, format, io, values['no-color'] ?? false);
  if (command === 'init') {
    if (inputs.length > 1) throw new UsageError(`init takes one name, e.g. ${commandName()} init login`);
    const { initSpec } = await import('../project/init.js');
    const made = await initSpec(inputs[0] ?? 'flow', io.cwd, specFolder(specRoots));
    if ('problem' in made) {
      io.stderr.write(`protoflow: ${made.problem}\n`);
      return made.usage ? EXIT.usage : EXIT.specErrors;
    }
    const self = commandName();
    io.stdout.write(`wrote ${made.file}: check it with "${self} validate ${made.file}", draw it with "${self} build ${made.file}"\n`);
    return EXIT.ok;
  }
  if (command === 'schema') {
    if (inputs.length > 0) throw new UsageError('schema reads no spec: it prints the JSON Schema every spec follows');
    const { specJsonSchema } = await import('../compile/json-schema.js');
    io.stdout.write(specJsonSchema());
    return EXIT.ok;
  }
  const view = { flowchartNotes: !values['no-flowchart-notes'] && config.flowchartNotes !== false };
  const drawing = {
    plantumlEngine: values['plantuml-engine'] !== undefined ? parsePlantUmlEngine(values['plantuml-engine']) : (config.plantumlEngine ?? 'auto'),
  };
  const outDir = values.out ?? config.out ?? 'out';
  const templatesDir = await templatesFolder(values.templates ?? config.templates);
  if (command === 'doctor') {
    const { runDoctor } = await import('./doctor-command.js');
    const configFile = CONFIG_FILES.find((name) => existsSync(join(io.cwd, name)));
    return runDoctor({ cwd: io.cwd, configFile, targets: configuredTargets(config), formats: config.formats ?? OUTPUT_FORMATS, drawing }, output);
  }
  if (command === 'conform') return conformCommand(inputs, specRoots, values, templatesDir, drawing, output);
  if (command === 'docs') {
    const docs = inputs.length > 0 ? inputs : [config.docs ?? []].flat();
    if (docs.length === 0)
      throw new UsageError(`docs needs the Markdown files to update, e.g. ${commandName()} docs README.md docs/ (or "docs:" in the config file)`);
    const { runDocs } = await import('./docs-command.js');
    return runDocs(docs, { outDir, view, templatesDir, specRoots }, output);
  }
  const targets = values.targets !== undefined ? parseTargets(values.targets) : configuredTargets(config);
  const formats = values.formats !== undefined ? parseFormats(values.formats) : (config.formats ?? OUTPUT_FORMATS);
  const renderTimeoutMs = values['render-timeout'] === undefined ? DEFAULT_RENDER_TIMEOUT_MS : parseSeconds(values['render-timeout']);
  const scenarios = await scenarioSelection(values.scenario, values['all-scenarios'] === true, loaded, specs, specRoots);
  if (command === 'check') {
    const { runCheck } = await import('./check-command.js');
    return runCheck({ inputs: specs, specRoots, outDir, targets, formats, view, scenarios, docs: [config.docs ?? []].flat(), templatesDir, drawing }, output);
  }

  const buildOptions = {
    inputs: specs,
    specRoots,
    outDir,
    targets,
    view,
    write: command === 'build',
    formats,
    renderTimeoutMs,
    force: values.force ?? false,
    scenarios,
    templatesDir,
    drawing,
  };
  if (values.watch) {
    if (format === 'json') throw new UsageError('--watch prints a line per rebuild; it has no JSON form');
    const { watchBuild } = await import('./watch.js');
    const stop = new Promise<void>((done) => {
      for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => done());
    });
    return watchBuild(buildOptions, io, stop, values['no-color'] ?? false);
  }
  const started = Date.now();
  // A live count on a terminal; in CI (no terminal, or CI=true) only the lines below.
  const live = io.stderr.isTTY === true && !process.env.CI && !values.quiet;
  const report = await build({
    ...buildOptions,
    ...(live
      ? { onProgress: ({ done, total, file }: { done: number; total: number; file: string }) => io.stderr.write(`\r\x1b[2Kdrawing ${done}/${total} ${file}`) }
      : {}),
  });
  if (live) io.stderr.write('\r\x1b[2K');
  const diagnostics = sortDiagnostics(values.quiet ? report.diagnostics.filter((d) => d.severity === 'error') : report.diagnostics);
  const failed = hasErrors(diagnostics);

  if (format === 'json') {
    const { diagnosticsToJson } = await import('../diagnostics/format.js');
    const results = command === 'build' ? { written: report.written, unchanged: report.unchanged } : {};
    io.stdout.write(`${diagnosticsToJson(diagnostics, results)}\n`);
    return failed ? EXIT.specErrors : EXIT.ok;
  }
  await printDiagnostics(diagnostics, report.sources, io, values['no-color'] ?? false);
  if (values.verbose) io.stdout.write(report.written.map((file) => `wrote ${file}\n`).join(''));
  const errors = errorCount(diagnostics);
  const warnings = diagnostics.length - errors;
  const counts = `${errors} error(s)${warnings > 0 ? `, ${warnings} warning(s)` : ''}`;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const summary =
    command === 'build'
      ? `${report.specCount} spec(s), ${report.written.length} file(s) written, ${report.unchanged.length} unchanged, ${counts} in ${seconds} s`
      : `${report.specCount} spec(s) checked, ${counts}`;
  if (failed || !values.quiet) (failed ? io.stderr : io.stdout).write(`${summary}\n`);
  return failed ? EXIT.specErrors : EXIT.ok;
}

/** `protoflow conform SPEC --trace FILE --side ID`: its arguments checked, then conform-command.ts. */
async function conformCommand(
  inputs: readonly string[],
  specRoots: readonly string[],
  values: {
    trace?: string;
    side?: string;
    'trace-format'?: string;
    diagram?: string;
    formats?: string;
    'render-timeout'?: string;
    templates?: string;
    'plantuml-engine'?: string;
  },
  templatesDir: string | undefined,
  drawing: DrawingChoices,
  output: { format: 'text' | 'json'; io: Io; noColor: boolean },
): Promise<number> {
  if (inputs.length !== 1) throw new UsageError(`conform checks one spec: ${commandName()} conform SPEC --trace FILE --side PARTICIPANT`);
  if (values.trace === undefined) throw new UsageError("conform needs the recorded trace: --trace FILE (openssl s_client -msg, or Node's enableTrace())");
  if (values.side === undefined) throw new UsageError('conform needs the participant that recorded the trace: --side PARTICIPANT, e.g. --side client');
  const { findTraceReader, TRACE_READERS } = await import('../trace/readers.js');
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
  const { runConform } = await import('./conform-command.js');
  return runConform(
    {
      spec: inputs[0]!,
      specRoots,
      trace: values.trace,
      side: values.side,
      ...(reader ? { reader } : {}),
      ...(values.diagram !== undefined ? { diagramDir: values.diagram } : {}),
      formats: values.formats !== undefined ? parseFormats(values.formats) : ['source'],
      renderTimeoutMs: values['render-timeout'] === undefined ? DEFAULT_RENDER_TIMEOUT_MS : parseSeconds(values['render-timeout']),
      drawing,
      ...(templatesDir !== undefined ? { templatesDir } : {}),
    },
    output,
  );
}

/** `protoflow matrix`: each spec's presence matrix as Markdown (or all of them as JSON) on stdout. */
async function printMatrices(inputs: readonly string[], specRoots: readonly string[], format: 'text' | 'json', io: Io, noColor: boolean): Promise<number> {
  const [{ matrices }, { diagnosticsToJson }] = await Promise.all([import('../project/matrices.js'), import('../diagnostics/format.js')]);
  const report = await matrices(inputs, specRoots);
  const diagnostics = sortDiagnostics(report.diagnostics);
  const status = hasErrors(diagnostics) ? EXIT.specErrors : EXIT.ok;
  if (format === 'json') {
    io.stdout.write(
      `${diagnosticsToJson(diagnostics, { matrices: report.matrices.map(({ spec, view: { title, variables, columns, rows } }) => ({ spec, title, variables, columns, rows })) })}\n`,
    );
    return status;
  }
  await printDiagnostics(diagnostics, report.sources, io, noColor);
  io.stdout.write(report.matrices.map((m) => m.markdown).join('\n'));
  // On stderr, so that stdout stays the Markdown alone.
  const errors = errorCount(diagnostics);
  const plain = report.withoutVariables.length > 0 ? ` (${report.withoutVariables.join(', ')}: no variables, one scenario)` : '';
  io.stderr.write(`${report.sources.length} spec(s), ${report.matrices.length} matrix(es)${plain}, ${errors} error(s)\n`);
  return status;
}

/** `--scenario` (given once or more, each VARIABLE=VALUE,...) as values that apply to the specs, checked before anything is written. */
async function parseScenarioArgument(
  given: readonly string[],
  specs: readonly string[],
  specRoots: readonly string[],
  origin = '--scenario',
): Promise<Record<string, string>> {
  const parsed = parseValues(given.join(','));
  if ('problem' in parsed) throw new UsageError(`${origin}: ${parsed.problem}`);
  if (Object.keys(parsed.values).length === 0) throw new UsageError(`${origin} needs at least one VARIABLE=VALUE, e.g. --scenario keyExchange=rsa`);
  const { scenarioArgumentProblem } = await import('../project/scenario-argument.js');
  const problem = await scenarioArgumentProblem(specs, parsed.values, origin, specRoots);
  if (problem !== undefined) throw new UsageError(problem);
  return parsed.values;
}

/** What --scenario and --all-scenarios ask for, else the config's `scenarios`. */
async function scenarioSelection(
  given: string[] | undefined,
  all: boolean,
  config: LoadedConfig,
  specs: readonly string[],
  specRoots: readonly string[],
): Promise<ScenarioSelection> {
  const configured = config.config.scenarios;
  if (given !== undefined) return { values: await parseScenarioArgument(given, specs, specRoots) };
  if (all || configured === 'all') return 'all';
  if (configured === undefined || configured === 'none') return 'none';
  const values = Object.entries(configured)
    .map(([variable, value]) => `${variable}=${value}`)
    .join(',');
  return { values: await parseScenarioArgument([values], specs, specRoots, `"scenarios" at ${config.position(['scenarios'])}`) };
}

/** The project's config file (see config.ts), or undefined when it has errors, which are printed. */
async function readConfig(io: Io, noColor: boolean): Promise<LoadedConfig | undefined> {
  if (!CONFIG_FILES.some((name) => existsSync(join(io.cwd, name)))) return NO_CONFIG;
  const { loadConfig } = await import('./config.js');
  const loaded = await loadConfig(io.cwd);
  if (loaded.diagnostics.length === 0) return loaded;
  await printDiagnostics(loaded.diagnostics, loaded.source ? [loaded.source] : [], io, noColor);
  return undefined;
}

const NO_CONFIG: LoadedConfig = { config: {}, position: () => 'the config', diagnostics: [] };

/** `--templates DIR` (or the config's `templates`), which must be a folder. */
async function templatesFolder(dir: string | undefined): Promise<string | undefined> {
  if (dir === undefined) return undefined;
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`--templates: ${dir} is not a folder (copy protoflow's templates/ folder and point --templates at the copy)`);
  return resolve(dir);
}

/** Where init writes: the config's first spec folder (an entry that is not a spec file). */
function specFolder(specRoots: readonly string[]): string {
  return specRoots.find((root) => !SPEC_FILE.test(root)) ?? 'specs';
}

function configuredTargets(config: Config): readonly Target[] {
  return config.targets ? parseTargets(config.targets.join(',')) : TARGETS;
}

function parseTargets(list: string): Target[] {
  const names = [
    ...new Set(
      list
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    ),
  ];
  if (names.length === 0) throw new UsageError('--targets needs at least one target');
  return names.map((name) => {
    const target = findTarget(name);
    if (!target) {
      const all = TARGETS.map((t) => t.name);
      const hint = didYouMean(name, all);
      throw new UsageError(`unknown target "${name}"${hint ? `; ${hint}` : ''} (targets: ${all.join(', ')})`);
    }
    return target;
  });
}

function parseFormats(list: string): OutputFormat[] {
  const names = [
    ...new Set(
      list
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    ),
  ];
  if (names.length === 0) throw new UsageError('--formats needs at least one format');
  return names.map((name) => {
    const format = OUTPUT_FORMATS.find((f) => f === name);
    if (!format) {
      const hint = didYouMean(name, OUTPUT_FORMATS);
      throw new UsageError(`unknown format "${name}"${hint ? `; ${hint}` : ''} (formats: ${OUTPUT_FORMATS.join(', ')})`);
    }
    return format;
  });
}

function parsePlantUmlEngine(name: string): PlantUmlEngine {
  const engine = PLANTUML_ENGINES.find((e) => e === name);
  if (engine) return engine;
  const hint = didYouMean(name, PLANTUML_ENGINES);
  throw new UsageError(`unknown PlantUML engine "${name}"${hint ? `; ${hint}` : ''} (--plantuml-engine: ${PLANTUML_ENGINES.join(', ')})`);
}

/** A day: timers overflow past 2^31 ms (about 24.8 days), and a render that long has failed anyway. */
const MAX_RENDER_TIMEOUT_SECONDS = 86_400;

function parseSeconds(text: string): number {
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(seconds > 0)) throw new UsageError(`--render-timeout must be a number of seconds above 0, not "${text}"`);
  if (seconds > MAX_RENDER_TIMEOUT_SECONDS) throw new UsageError(`--render-timeout must be at most ${MAX_RENDER_TIMEOUT_SECONDS} seconds (a day), not ${text}`);
  return seconds * 1000;
}

function version(): string {
  return ownManifest().version;
}
