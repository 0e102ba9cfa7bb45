import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { DiagnosticCodes, error, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { FlowIR } from '../ir/types.js';
import type { Target, ViewOptions } from './target.js';
import { TEMPLATES_DIR } from './templates-dir.js';
import { readRegularFileSync } from '../source/source-file.js';

/** Options for every template: output is not HTML (escaping is the target's job) and a missing field is a bug. */
const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

/**
 * A templates folder (protoflow's own, or a copy given with `--templates`), each template compiled
 * when first used. A project holds one; `build --watch` makes a new one when a template changes.
 */
export class TemplateSet {
  private readonly compiled = new Map<string, (context: object) => string>();

  constructor(readonly dir: string = TEMPLATES_DIR) {}

  /** The templates of `folder` (see `loadTemplates`), compiled once. */
  template(folder: string, helpers: Record<string, Handlebars.HelperDelegate>, entry = 'diagram'): (context: object) => string {
    const key = `${folder}\0${entry}`;
    let template = this.compiled.get(key);
    if (!template) {
      template = loadTemplates(folder, helpers, entry, this.dir);
      this.compiled.set(key, template);
    }
    return template;
  }
}

let bundled: TemplateSet | undefined;

/** protoflow's own templates, for callers that bring none: they do not change while a process runs. */
export function bundledTemplates(): TemplateSet {
  return (bundled ??= new TemplateSet());
}

/** Target-independent helpers: layout and choice, no diagram syntax. */
const COMMON_HELPERS: Record<string, Handlebars.HelperDelegate> = {
  /** `{{indent depth}}`: two spaces per level. */
  indent: (depth: number) => '  '.repeat(depth),
  /** `{{pick kind actor="actor" service="participant"}}`: the hash entry named by the value. */
  pick(value: string, options: Handlebars.HelperOptions) {
    const hash = options.hash as Record<string, string>;
    if (!(value in hash)) throw new Error(`pick: no choice for "${value}"`);
    return hash[value];
  },
  /** `{{repeat count "-"}}`: the text `count` times. */
  repeat: (count: number, text: string) => text.repeat(count),
  /** `{{#is a b}}…{{else}}…{{/is}}` */
  is(this: unknown, a: unknown, b: unknown, options: Handlebars.HelperOptions) {
    return a === b ? options.fn(this) : options.inverse(this);
  },
};

/**
 * The templates of one folder of `templates/`: `ENTRY.hbs` is the entry point, every other
 * `.hbs` file a partial named after it. Returns the function from a context to text.
 */
export function loadTemplates(
  folder: string,
  helpers: Record<string, Handlebars.HelperDelegate>,
  entry = 'diagram',
  templatesDir = TEMPLATES_DIR,
): (context: object) => string {
  const env = Handlebars.create();
  env.registerHelper({ ...COMMON_HELPERS, ...helpers });
  const dir = join(templatesDir, folder);
  for (const file of readdirSync(dir)) {
    if (file.endsWith('.hbs') && file !== `${entry}.hbs`) {
      env.registerPartial(basename(file, '.hbs'), env.compile(readRegularFileSync(join(dir, file)).toString('utf8'), COMPILE_OPTIONS));
    }
  }
  return env.compile(readRegularFileSync(join(dir, `${entry}.hbs`)).toString('utf8'), COMPILE_OPTIONS);
}

/** A template failure as a diagnostic. */
export function templateFailed(folder: string, cause: unknown): Diagnostic {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return error(DiagnosticCodes.TEMPLATE_FAILED, `template ${folder} failed: ${reason}`);
}

/** The target's text for one flow; a template failure is a diagnostic, not a crash. */
export function generate(target: Target, flow: FlowIR, options: ViewOptions = {}, templates = bundledTemplates()): Result<string> {
  try {
    const template = templates.template(target.name, target.helpers);
    return { value: template(target.view(flow, options)), diagnostics: [] };
  } catch (cause) {
    return { diagnostics: [templateFailed(target.name, cause)] };
  }
}
