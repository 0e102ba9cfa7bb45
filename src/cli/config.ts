import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DiagnosticCodes, error, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { readSourceFile, type SourceFile } from '../source/source-file.js';
import { parseYaml, type Locator, type PathSegment } from '../source/yaml.js';
import { ID_PATTERN } from '../compile/schema.js';
import { type DocumentVocabulary, issueDiagnostics, placeName } from '../source/schema-issues.js';
import { TARGETS } from '../targets/registry.js';
import { CONFIG_FILES } from './config-files.js';
import { OUTPUT_FORMATS } from '../project/output-names.js';
import { PLANTUML_ENGINES } from '../render/renderer.js';
import { THEMES } from '../shared/theme.js';
import { FLOWCHART_LANES } from '../views/options.js';

const Id = z.string().regex(ID_PATTERN);
const Path = z.string().min(1);

/** Defaults for the command line; every flag overrides its key. Paths are relative to the project root. */
export const ConfigSchema = z.strictObject({
  specs: z
    .union([Path, z.array(Path).min(1)])
    .optional()
    .describe('Spec files or folders (default specs).'),
  out: Path.optional().describe('Where build writes and check looks (default out).'),
  targets: z
    .array(z.enum(TARGETS.map((t) => t.name) as [string, ...string[]]))
    .min(1)
    .optional()
    .describe('Targets to write (default all).'),
  formats: z.array(z.enum(OUTPUT_FORMATS)).min(1).optional().describe('What to write of each target (default all three).'),
  scenarios: z
    .union([z.enum(['none', 'all']), z.record(Id, Id)])
    .optional()
    .describe('"all" draws every declared scenario too (like --all-scenarios), a map of values draws that one (like --scenario).'),
  docs: z
    .union([Path, z.array(Path).min(1)])
    .optional()
    .describe('Markdown files or folders whose protoflow regions docs updates and check checks.'),
  templates: Path.optional().describe("A copy of protoflow's templates/ folder to generate with (like --templates)."),
  flowchartNotes: z.boolean().optional().describe('false leaves notes out of flowcharts (like --no-flowchart-notes).'),
  flowchartLanes: z
    .enum(FLOWCHART_LANES)
    .optional()
    .describe(
      'A flowchart lane per participant, per group (its members share it, each node naming its participant), or "auto" (per group past five participants; the default), like --flowchart-lanes.',
    ),
  plantumlEngine: z
    .enum(PLANTUML_ENGINES)
    .optional()
    .describe(
      'How PlantUML images are drawn: "java" (a warm JVM), "browser" (@plantuml/core in Chromium, no Java) or "auto" (Java when found; the default), like --plantuml-engine.',
    ),
  theme: z
    .enum(THEMES)
    .optional()
    .describe(
      'How images are coloured: "light" (the default), "dark", or "auto" (one SVG that follows the reader\'s light or dark mode; its PNG is light), like --theme. A spec\'s own theme: wins.',
    ),
});
export type Config = z.infer<typeof ConfigSchema>;

const KEYS = Object.keys(ConfigSchema.shape);
/** What the keys that take one of several forms take, for messages. */
const UNION_EXPECTED: Record<string, string> = {
  specs: 'a path or a list of paths',
  docs: 'a path or a list of paths',
  scenarios: '"all", "none" or a map of variable to value',
};

/** The project's config file, if there is one: its values, or every problem in it with its position. */
export interface LoadedConfig {
  config: Config;
  source?: SourceFile;
  /** `protoflow.config.yaml:5:12`: where a key's value was written, for messages about it. */
  position: (path: readonly PathSegment[]) => string;
  diagnostics: Diagnostic[];
}

export async function loadConfig(root: string): Promise<LoadedConfig> {
  const nowhere = { position: () => 'the config', diagnostics: [] as Diagnostic[] };
  const found = CONFIG_FILES.filter((name) => existsSync(join(root, name)));
  if (found.length === 0) return { config: {}, ...nowhere };
  if (found.length > 1) {
    return { config: {}, ...nowhere, diagnostics: [error(DiagnosticCodes.UNKNOWN_KEY, `${found.join(' and ')} both exist; keep one config file`)] };
  }
  const read = await readSourceFile(join(root, found[0]!), found[0]!);
  if (!read.value) return { config: {}, ...nowhere, diagnostics: read.diagnostics };
  const parsed = parseYaml(read.value);
  if (!parsed.value) return { config: {}, source: read.value, ...nowhere, diagnostics: parsed.diagnostics };
  const { data, locate } = parsed.value;
  const position = (path: readonly PathSegment[]) => {
    const at = locate(path);
    return `${at.file}:${at.line}:${at.column}`;
  };
  const checked = ConfigSchema.safeParse(data);
  if (!checked.success) {
    return {
      config: {},
      source: read.value,
      position,
      diagnostics: sortDiagnostics(issueDiagnostics(checked.error.issues, data, locate, configVocabulary(locate))),
    };
  }
  const templates = checked.data.templates;
  if (templates !== undefined && !statSync(join(root, templates), { throwIfNoEntry: false })?.isDirectory()) {
    const problem = error(
      DiagnosticCodes.INVALID_VALUE,
      `"templates": ${templates} is not a folder`,
      locate(['templates']),
      "copy protoflow's templates/ folder and name the copy",
    );
    return { config: {}, source: read.value, position, diagnostics: [problem] };
  }
  return { config: checked.data, source: read.value, position, diagnostics: [] };
}

/** How the config file's messages name its parts. */
function configVocabulary(locate: Locator): DocumentVocabulary {
  const where = (path: readonly PathSegment[]) => placeName(path, 'the config');
  return {
    where,
    map: (path) => ({ name: where(path), keys: KEYS }),
    describe: (value) => JSON.stringify(value),
    otherCode: DiagnosticCodes.WRONG_TYPE,
    own: (issue, { path }) =>
      issue.code === 'invalid_union'
        ? [error(DiagnosticCodes.WRONG_TYPE, `${where(path)} must be ${UNION_EXPECTED[String(path[0])] ?? 'something else'}`, locate(path))]
        : undefined,
  };
}
