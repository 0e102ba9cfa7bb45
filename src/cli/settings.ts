import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SPEC_FILE } from '../compile/include-path.js';
import { DEFAULT_RENDER_TIMEOUT_MS, OUTPUT_FORMATS, type OutputFormat } from '../project/output-names.js';
import { Project } from '../project/project.js';
import { PLANTUML_ENGINES, type PlantUmlEngine } from '../render/renderer.js';
import { parseValues } from '../scenarios/scenario.js';
import { didYouMean } from '../shared/suggest.js';
import { THEMES } from '../shared/theme.js';
import { bundledTemplates, TemplateSet } from '../targets/generate.js';
import { findTarget, TARGETS } from '../targets/registry.js';
import type { Target } from '../targets/target.js';
import { FLOWCHART_LANES } from '../views/options.js';
import type { LoadedConfig } from './config.js';
import { CONFIG_FILES } from './config-files.js';
import { type CommandContext, UsageError } from './context.js';
import { printDiagnostics } from './output.js';

/** A command's project (flags over the config file) and the config it was made from. */
export interface Opened {
  config: LoadedConfig;
  project: Project;
}

/** The config file's settings (see config.ts): none without a file; undefined when it has errors, which are printed. */
export async function readConfig(context: Pick<CommandContext, 'io' | 'output'>): Promise<LoadedConfig | undefined> {
  const { io } = context;
  if (!CONFIG_FILES.some((name) => existsSync(join(io.cwd, name)))) return NO_CONFIG;
  const { loadConfig } = await import('./config.js');
  const loaded = await loadConfig(io.cwd);
  if (loaded.diagnostics.length === 0) return loaded;
  await printDiagnostics(loaded.diagnostics, loaded.source ? [loaded.source] : [], io, context.output.noColor);
  return undefined;
}

const NO_CONFIG: LoadedConfig = { config: {}, position: () => 'the config', diagnostics: [] };

/**
 * The project a command works on: every setting from its flag, else the config file, else the
 * default; the specs are the command's arguments, else the config's spec folders. Undefined when
 * the config has errors (printed). Scenarios are chosen apart (see `withScenarios`): choosing
 * them compiles the specs.
 */
export async function openProject(context: CommandContext): Promise<Opened | undefined> {
  const loaded = await context.config();
  if (!loaded) return undefined;
  const { config } = loaded;
  const { values, io } = context;
  const specRoots = [config.specs ?? 'specs'].flat();
  const targets = values.targets ?? config.targets?.join(',');
  const project = new Project(
    { cwd: io.cwd, env: io.env },
    {
      specRoots,
      inputs: context.inputs.length > 0 ? context.inputs : specRoots,
      outDir: values.out ?? config.out ?? 'out',
      targets: targets !== undefined ? parseTargets(targets) : TARGETS,
      formats: values.formats !== undefined ? parseFormats(values.formats) : (config.formats ?? OUTPUT_FORMATS),
      view: {
        flowchartNotes: !values['no-flowchart-notes'] && config.flowchartNotes !== false,
        flowchartLanes:
          values['flowchart-lanes'] !== undefined
            ? oneOf(values['flowchart-lanes'], FLOWCHART_LANES, 'flowchart lanes', '--flowchart-lanes')
            : (config.flowchartLanes ?? 'auto'),
      },
      drawing: {
        plantumlEngine: values['plantuml-engine'] !== undefined ? parsePlantUmlEngine(values['plantuml-engine']) : (config.plantumlEngine ?? 'auto'),
        theme: values.theme !== undefined ? oneOf(values.theme, THEMES, 'theme', '--theme') : (config.theme ?? 'light'),
      },
      templates: await templateSet(values.templates ?? config.templates, io.cwd),
      renderTimeoutMs: values['render-timeout'] === undefined ? DEFAULT_RENDER_TIMEOUT_MS : parseSeconds(values['render-timeout']),
    },
  );
  return { config: loaded, project };
}

/**
 * The project drawing what --scenario or --all-scenarios ask for, else the config's `scenarios`;
 * named values are checked against the specs before anything is written (a usage error).
 */
export async function withScenarios(context: CommandContext, { config, project }: Opened): Promise<Project> {
  const { scenario: given, 'all-scenarios': all } = context.values;
  if (given !== undefined && all) throw new UsageError('--scenario draws one scenario and --all-scenarios every one: choose one of them');
  const configured = config.config.scenarios;
  const named = async (values: readonly string[], origin = '--scenario') =>
    project.with({ scenarios: { values: await scenarioArgument(values, project, origin) } });
  if (given !== undefined) return named(given);
  if (all || configured === 'all') return project.with({ scenarios: 'all' });
  if (configured === undefined || configured === 'none') return project;
  const values = Object.entries(configured)
    .map(([variable, value]) => `${variable}=${value}`)
    .join(',');
  return named([values], `"scenarios" at ${config.position(['scenarios'])}`);
}

/** `--scenario` (given once or more, each VARIABLE=VALUE,...) as values that apply to the specs. */
async function scenarioArgument(given: readonly string[], project: Project, origin: string): Promise<Record<string, string>> {
  const parsed = parseValues(given.join(','));
  if ('problem' in parsed) throw new UsageError(`${origin}: ${parsed.problem}`);
  if (Object.keys(parsed.values).length === 0) throw new UsageError(`${origin} needs at least one VARIABLE=VALUE, e.g. --scenario keyExchange=rsa`);
  const { scenarioArgumentProblem } = await import('../project/scenario-argument.js');
  const problem = await scenarioArgumentProblem(project, parsed.values, origin);
  if (problem !== undefined) throw new UsageError(problem);
  return parsed.values;
}

/** The templates in `--templates DIR` (or the config's `templates`), which must be a folder; else protoflow's own. */
async function templateSet(dir: string | undefined, cwd: string): Promise<TemplateSet> {
  if (dir === undefined) return bundledTemplates();
  const info = await stat(resolve(cwd, dir)).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`--templates: ${dir} is not a folder (copy protoflow's templates/ folder and point --templates at the copy)`);
  return new TemplateSet(resolve(cwd, dir));
}

/** Where init writes: the config's first spec folder (an entry that is not a spec file). */
export function specFolder(specRoots: readonly string[]): string {
  return specRoots.find((root) => !SPEC_FILE.test(root)) ?? 'specs';
}

/** The distinct names of a comma-separated list. */
function listed(list: string, option: string, what: string): string[] {
  const names = [
    ...new Set(
      list
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    ),
  ];
  if (names.length === 0) throw new UsageError(`--${option} needs at least one ${what}`);
  return names;
}

/** `name` as one of `known`, or a usage error with a did-you-mean and the list. */
function oneOf<T extends string>(name: string, known: readonly T[], what: string, listedAs: string): T {
  const found = known.find((k) => k === name);
  if (found !== undefined) return found;
  const hint = didYouMean(name, known);
  throw new UsageError(`unknown ${what} "${name}"${hint ? `; ${hint}` : ''} (${listedAs}: ${known.join(', ')})`);
}

function parseTargets(list: string): Target[] {
  const names = TARGETS.map((t) => t.name);
  return listed(list, 'targets', 'target').map((name) => findTarget(oneOf(name, names, 'target', 'targets'))!);
}

export function parseFormats(list: string): OutputFormat[] {
  return listed(list, 'formats', 'format').map((name) => oneOf(name, OUTPUT_FORMATS, 'format', 'formats'));
}

function parsePlantUmlEngine(name: string): PlantUmlEngine {
  return oneOf(name, PLANTUML_ENGINES, 'PlantUML engine', '--plantuml-engine');
}

/** A day: timers overflow past 2^31 ms (about 24.8 days), and a render that long has failed anyway. */
const MAX_RENDER_TIMEOUT_SECONDS = 86_400;

function parseSeconds(text: string): number {
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(seconds > 0)) throw new UsageError(`--render-timeout must be a number of seconds above 0, not "${text}"`);
  if (seconds > MAX_RENDER_TIMEOUT_SECONDS) throw new UsageError(`--render-timeout must be at most ${MAX_RENDER_TIMEOUT_SECONDS} seconds (a day), not ${text}`);
  return seconds * 1000;
}
