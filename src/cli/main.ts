import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { build, DEFAULT_RENDER_TIMEOUT_MS, OUTPUT_FORMATS, type OutputFormat } from '../build/build.js';
import { hasErrors, sortDiagnostics } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../spec/suggest.js';
import { findTarget, TARGETS } from '../targets/registry.js';
import type { Target } from '../targets/target.js';
import { USAGE } from './usage.js';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
}

const COMMANDS = ['build', 'validate'] as const;
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
  const buildOnly = ['out', 'targets', 'formats', 'render-timeout', 'force', 'no-flowchart-notes'] as const;
  if (command === 'validate' && buildOnly.some((o) => values[o] !== undefined)) {
    throw new UsageError(`validate writes nothing: ${buildOnly.map((o) => `--${o}`).join(', ')} belong to build`);
  }
  const targets = values.targets === undefined ? TARGETS : parseTargets(values.targets);
  const formats = values.formats === undefined ? OUTPUT_FORMATS : parseFormats(values.formats);
  const renderTimeoutMs = values['render-timeout'] === undefined ? DEFAULT_RENDER_TIMEOUT_MS : parseSeconds(values['render-timeout']);

  const report = await build({
    inputs: inputs.length > 0 ? inputs : ['specs'],
    outDir: values.out ?? 'out',
    targets,
    view: { flowchartNotes: !values['no-flowchart-notes'] },
    write: command === 'build',
    formats,
    renderTimeoutMs,
    force: values.force ?? false,
  });
  const diagnostics = sortDiagnostics(report.diagnostics);
  const failed = hasErrors(diagnostics);

  // Loaded here, not at the top: a build with nothing to do stays quick without the code-frame printer.
  const { diagnosticsToJson, formatDiagnostics } = await import('../diagnostics/format.js');
  if (format === 'json') {
    const results = command === 'build' ? { written: report.written, unchanged: report.unchanged } : {};
    io.stdout.write(`${diagnosticsToJson(diagnostics, results)}\n`);
    return failed ? EXIT.specErrors : EXIT.ok;
  }
  if (diagnostics.length > 0) {
    const color = io.stderr.isTTY === true && !values['no-color'] && !process.env.NO_COLOR;
    const sources = new Map(report.sources.map((s) => [s.name, s.text]));
    io.stderr.write(`${formatDiagnostics(diagnostics, { sources, color })}\n`);
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const summary =
    command === 'build'
      ? `${report.specCount} spec(s), ${report.written.length} file(s) written, ${report.unchanged.length} unchanged, ${errors} error(s)`
      : `${report.specCount} spec(s) checked, ${errors} error(s)`;
  (failed ? io.stderr : io.stdout).write(`${summary}\n`);
  return failed ? EXIT.specErrors : EXIT.ok;
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

