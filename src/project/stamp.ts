import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '../render/cache.js';
import { ENGINES } from '../render/engines.js';
import type { ResolvedDrawing } from '../render/renderer.js';
import { TEMPLATES_DIR } from '../targets/templates-dir.js';
import { isDrawn, type Target, type ViewOptions } from '../targets/target.js';
import type { ScenarioSelection } from './outputs.js';
import { readRegularFile } from '../source/source-file.js';

/** The compiled code this build runs (dist/, or src/ under the test runner). */
const CODE_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The code this process runs, hashed once: it does not change while the process runs (`build --watch` rebuilds many times). */
let codeHash: Promise<string> | undefined;

async function hashFolder(root: string, keep: (file: string) => boolean): Promise<string> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && keep(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const parts = await Promise.all(files.map(async (f) => `${relative(root, f)}\0${sha256(await readRegularFile(f))}`));
  return sha256(parts.join('\n'));
}

/**
 * A function from (output base name, spec text) to a stamp that changes whenever anything that
 * decides the spec's outputs changes: the spec, protoflow's code and templates, the targets, formats,
 * view options, scenarios and theme asked for, and the renderers. A spec whose stamp is in the manifest is not even parsed.
 */
export async function stamper(settings: {
  targets: readonly Target[];
  formats: readonly string[];
  view: ViewOptions | undefined;
  scenarios: ScenarioSelection;
  templatesDir: string | undefined;
  drawing: ResolvedDrawing;
}): Promise<(base: string, specText: string) => string> {
  codeHash ??= hashFolder(CODE_ROOT, (f) => (f.endsWith('.js') || f.endsWith('.ts')) && !f.endsWith('.d.ts'));
  const [code, templates] = await Promise.all([codeHash, hashFolder(settings.templatesDir ?? TEMPLATES_DIR, () => true)]);
  // Every way an image may be drawn and stay current, in a fixed order: with `auto`, installing Java changes no stamp.
  const engines = [...new Set(settings.targets.filter(isDrawn).map((t) => t.engine))].sort().map((e) => [
    e,
    ENGINES[e]
      .fingerprints(settings.drawing)
      .map((f) => JSON.stringify(f))
      .sort(),
  ]);
  // The theme only when not the default, so that stamps from before themes stay valid.
  const theme = settings.drawing.theme !== undefined && settings.drawing.theme !== 'light' ? [settings.drawing.theme] : [];
  const common = JSON.stringify([
    code,
    templates,
    settings.targets.map((t) => t.name),
    settings.formats,
    settings.view ?? {},
    settings.scenarios,
    engines,
    ...theme,
  ]);
  return (base, specText) => sha256(`${common}\0${base}\0${specText}`);
}
