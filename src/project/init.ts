import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { failureReason } from '../diagnostics/diagnostic.js';
import { SCHEMA_FILE } from '../compile/json-schema.js';
import { loadTemplates } from '../targets/generate.js';

/** The schema that ships with this protoflow: the starter names it, relative to the spec, for editors. */
const SCHEMA = fileURLToPath(new URL(`../../${SCHEMA_FILE}`, import.meta.url));
/** A spec name is a file name that needs no quoting anywhere: `login`, `tls-1.3`. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Writes `SPECS/NAME.yaml` under `cwd` (SPECS is the project's spec folder, `specs` by default): a
 * commented starter spec (templates/starter/) that validates and builds. Never overwrites a file.
 */
export async function initSpec(name: string, cwd: string, specs = 'specs'): Promise<{ file: string } | { problem: string; usage: boolean }> {
  const base = name.replace(/\.ya?ml$/, '');
  if (!NAME.test(base)) return { problem: `"${name}" is not a spec name: use letters, digits, ".", "_" and "-", e.g. login`, usage: true };
  const folder = resolve(cwd, specs);
  // As the user will type it: relative to the project when the folder is inside it.
  const file = relative(cwd, join(folder, `${base}.yaml`));
  const text = loadTemplates('starter', {}, 'spec')({ title: base, schema: relative(folder, SCHEMA).split('\\').join('/') });
  try {
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, `${base}.yaml`), text, { flag: 'wx' });
    return { file };
  } catch (cause) {
    const reason = failureReason(cause);
    return { problem: reason === 'EEXIST' ? `${file} already exists; init never overwrites a spec` : `cannot write ${file}: ${reason}`, usage: false };
  }
}
