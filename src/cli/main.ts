import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { build, DEFAULT_RENDER_TIMEOUT_MS, OUTPUT_FORMATS, type OutputFormat } from '../build/build.js';
import type { ScenarioSelection } from '../build/outputs.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { parseValues } from '../scenarios/scenario.js';
import type { SourceFile } from '../source/source-file.js';
import { didYouMean } from '../spec/suggest.js';
import { findTarget, TARGETS } from '../targets/registry.js';
import type { Target } from '../targets/target.js';
import { USAGE } from './usage.js';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
}

const COMMANDS = ['build', 'validate', 'matrix'] as const;
export const EXIT = { ok: 0, specErrors: 1, usage: 2 } as const;

class UsageError extends Error {}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    return await run(argv, io);
  } catch (cause) {
    if (cause instanceof UsageError || (cause instanceof TypeError && 'code' in cause && String(cause.code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr.write(`protoflow: ${cause.message}\nRun "protoflow --help" for usage.\n`);
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
  const buildOnly = ['out', 'targets', 'formats', 'render-timeout', 'force', 'no-flowchart-notes', 'scenario', 'all-scenarios'] as const;
  if (command !== 'build' && buildOnly.some((o) => values[o] !== undefined)) {
    throw new UsageError(`${command} writes nothing: ${buildOnly.map((o) => `--${o}`).join(', ')} belong to build`);
  }
  if (values.scenario !== undefined && values['all-scenarios']) {
    throw new UsageError('--scenario draws one scenario and --all-scenarios every one: choose one of them');
  }
  const specs = inputs.length > 0 ? inputs : ['specs'];
  if (command === 'matrix') return printMatrices(specs, format, io, values['no-color'] ?? false);
  const targets = values.targets === undefined ? TARGETS : parseTargets(values.targets);
  const formats = values.formats === undefined ? OUTPUT_FORMATS : parseFormats(values.formats);
  const renderTimeoutMs = values['render-timeout'] === undefined ? DEFAULT_RENDER_TIMEOUT_MS : parseSeconds(values['render-timeout']);
  const scenarios: ScenarioSelection = values.scenario !== undefined ? { values: await parseScenarioArgument(values.scenario, specs) } : values['all-scenarios'] ? 'all' : 'none';

  const report = await build({
    inputs: specs,
    outDir: values.out ?? 'out',
    targets,
    view: { flowchartNotes: !values['no-flowchart-notes'] },
    write: command === 'build',
    formats,
    renderTimeoutMs,
    force: values.force ?? false,
    scenarios,
  });
  const diagnostics = sortDiagnostics(report.diagnostics);
  const failed = hasErrors(diagnostics);

  if (format === 'json') {
    const { diagnosticsToJson } = await import('../diagnostics/format.js');
    const results = command === 'build' ? { written: report.written, unchanged: report.unchanged } : {};
    io.stdout.write(`${diagnosticsToJson(diagnostics, results)}\n`);
    return failed ? EXIT.specErrors : EXIT.ok;
  }
  await printDiagnostics(diagnostics, report.sources, io, values['no-color'] ?? false);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const counts = `${errors} error(s)${warnings > 0 ? `, ${warnings} warning(s)` : ''}`;
  const summary =
    command === 'build'
      ? `${report.specCount} spec(s), ${report.written.length} file(s) written, ${report.unchanged.length} unchanged, ${counts}`
      : `${report.specCount} spec(s) checked, ${counts}`;
  (failed ? io.stderr : io.stdout).write(`${summary}\n`);
  return failed ? EXIT.specErrors : EXIT.ok;
}

/** The diagnostics as text with code frames, on stderr. */
async function printDiagnostics(diagnostics: readonly Diagnostic[], sources: readonly SourceFile[], io: Io, noColor: boolean): Promise<void> {
  if (diagnostics.length === 0) return;
  // Loaded here, not at the top: a build with nothing to do stays quick without the code-frame printer.
  const { formatDiagnostics } = await import('../diagnostics/format.js');
  const color = io.stderr.isTTY === true && !noColor && !process.env.NO_COLOR;
  io.stderr.write(`${formatDiagnostics(diagnostics, { sources: new Map(sources.map((s) => [s.name, s.text])), color })}\n`);
}

/** `protoflow matrix`: each spec's presence matrix as Markdown (or all of them as JSON) on stdout. */
async function printMatrices(inputs: readonly string[], format: 'text' | 'json', io: Io, noColor: boolean): Promise<number> {
  const [{ matrices }, { diagnosticsToJson }] = await Promise.all([import('../build/matrices.js'), import('../diagnostics/format.js')]);
  const report = await matrices(inputs);
  const diagnostics = sortDiagnostics(report.diagnostics);
  const status = hasErrors(diagnostics) ? EXIT.specErrors : EXIT.ok;
  if (format === 'json') {
    io.stdout.write(`${diagnosticsToJson(diagnostics, { matrices: report.matrices.map(({ spec, view: { title, variables, columns, rows } }) => ({ spec, title, variables, columns, rows })) })}\n`);
    return status;
  }
  await printDiagnostics(diagnostics, report.sources, io, noColor);
  io.stdout.write(report.matrices.map((m) => m.markdown).join('\n'));
  // On stderr, so that stdout stays the Markdown alone.
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const plain = report.withoutVariables.length > 0 ? ` (${report.withoutVariables.join(', ')}: no variables, one scenario)` : '';
  io.stderr.write(`${report.sources.length} spec(s), ${report.matrices.length} matrix(es)${plain}, ${errors} error(s)\n`);
  return status;
}

/** `--scenario` (given once or more, each VARIABLE=VALUE,...) as values that apply to the specs, checked before anything is written. */
async function parseScenarioArgument(given: readonly string[], specs: readonly string[]): Promise<Record<string, string>> {
  const parsed = parseValues(given.join(','));
  if ('problem' in parsed) throw new UsageError(`--scenario: ${parsed.problem}`);
  if (Object.keys(parsed.values).length === 0) throw new UsageError('--scenario needs at least one VARIABLE=VALUE, e.g. --scenario keyExchange=rsa');
  const { scenarioArgumentProblem } = await import('../build/scenario-argument.js');
  const problem = await scenarioArgumentProblem(specs, parsed.values);
  if (problem !== undefined) throw new UsageError(problem);
  return parsed.values;
}

function parseTargets(list: string): Target[] {
  const names = [...new Set(list.split(',').map((n) => n.trim()).filter(Boolean))];
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
  const names = [...new Set(list.split(',').map((n) => n.trim()).filter(Boolean))];
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

function parseSeconds(text: string): number {
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(seconds > 0)) throw new UsageError(`--render-timeout must be a number of seconds above 0, not "${text}"`);
  return seconds * 1000;
}

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

