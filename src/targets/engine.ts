import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { DiagnosticCodes, error, type Result } from '../diagnostics/diagnostic.js';
import type { FlowIR } from '../ir/types.js';
import type { Target, ViewOptions } from './target.js';
import { TEMPLATES_DIR } from './templates-dir.js';


/** Options for every template: output is not HTML (escaping is the target's job) and a missing field is a bug. */
const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

type Render = (flow: FlowIR, options: ViewOptions) => string;
const compiled = new Map<string, Render>();

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
  /** `{{#is a b}}…{{else}}…{{/is}}` */
  is(this: unknown, a: unknown, b: unknown, options: Handlebars.HelperOptions) {
    return a === b ? options.fn(this) : options.inverse(this);
  },
};

function load(target: Target): Render {
  const env = Handlebars.create();
  env.registerHelper({ ...COMMON_HELPERS, ...target.helpers });
  const folder = join(TEMPLATES_DIR, target.name);
  for (const file of readdirSync(folder)) {
    if (file.endsWith('.hbs') && file !== 'diagram.hbs') {
      env.registerPartial(basename(file, '.hbs'), env.compile(readFileSync(join(folder, file), 'utf8'), COMPILE_OPTIONS));
    }
  }
  const template = env.compile(readFileSync(join(folder, 'diagram.hbs'), 'utf8'), COMPILE_OPTIONS);
  return (flow, options) => template(target.view(flow, options));
}

/** The target's text for one flow; a template failure is a diagnostic, not a crash. */
export function generate(target: Target, flow: FlowIR, options: ViewOptions = {}): Result<string> {
  try {
    let render = compiled.get(target.name);
    if (!render) {
      render = load(target);
      compiled.set(target.name, render);
    }
    return { value: render(flow, options), diagnostics: [] };
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return { diagnostics: [error(DiagnosticCodes.TEMPLATE_FAILED, `template ${target.name} failed: ${reason}`)] };
  }
}
