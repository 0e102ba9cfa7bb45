import { dirname, join, relative } from 'node:path';
import { DiagnosticCodes, error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { drawingOf } from '../scenarios/plan.js';
import { readSourceFile, type SourceFile } from '../source/source-file.js';
import type { CompiledSpec } from '../compile/load-spec.js';
import { didYouMean } from '../shared/suggest.js';
import { generate, templateFailed } from '../targets/generate.js';
import { markdownCell, markdownFence, markdownUrl } from '../targets/escape/markdown.js';
import { findTarget, TARGETS } from '../targets/registry.js';
import { isDrawn } from '../targets/target.js';
import { outputBase } from '../project/output-names.js';
import type { Project } from '../project/project.js';
import type { KnownSpec } from '../project/check.js';
import { specRoot } from '../project/find-specs.js';
import { chooseScenario, drawingName, specMatrix } from '../project/outputs.js';
import { imageName } from '../render/cache.js';
import { parseValues } from '../scenarios/scenario.js';
import { findRegions, type Region } from './regions.js';
import { EMBED, resolveIncludePath } from '../compile/include-path.js';

/** A Markdown file with its regions brought up to date. */
export interface UpdatedDoc {
  file: string;
  before: string;
  after: string;
  regions: number;
  /** Images in the output folder that its regions link to (`embed=image`), by file name. */
  images: string[];
}

/** `target=matrix` embeds the presence matrix instead of a diagram. */
const MATRIX = 'matrix';
/** templates/markdown-embed/region.hbs: a code block or an image link. */
const FOLDER = 'markdown-embed';

/**
 * The Markdown files with every region replaced by what its marker asks for: a diagram's source
 * in a fenced block (GitHub and GitLab draw `mermaid` blocks in place), a link to its SVG in the
 * output folder, or the presence matrix. Everything outside the markers is kept byte for byte. A
 * file with a problem is left as it is. A region may embed only a spec inside the project's
 * working folder; its images link into the project's output folder. Specs in `known` (by absolute
 * path) are not read or compiled again.
 */
export async function updateDocs(
  sources: readonly SourceFile[],
  project: Project,
  known: ReadonlyMap<string, KnownSpec> = new Map(),
): Promise<{ docs: UpdatedDoc[]; diagnostics: Diagnostic[]; specs: SourceFile[] }> {
  const loadedSpecs = new Map<string, Partial<KnownSpec>>(known);
  const docs: UpdatedDoc[] = [];
  const diagnostics: Diagnostic[] = [];
  const loadSpec = async (path: string) => {
    let loaded = loadedSpecs.get(path);
    if (!loaded) {
      const { cwd } = project.host;
      const name = relative(cwd, path) || path;
      const read = await readSourceFile(path, name);
      diagnostics.push(...read.diagnostics);
      const source = read.value && { ...read.value, root: specRoot(name, project.settings.specRoots, cwd) };
      const result = source ? await project.compile(source) : undefined;
      loaded = { source, compiled: result?.value };
      loadedSpecs.set(path, loaded);
      diagnostics.push(...(result?.diagnostics ?? []));
    }
    return loaded;
  };

  for (const doc of sources) {
    const found = findRegions(doc.text, doc.name);
    const problems = [...found.diagnostics];
    const blocks: string[] = [];
    const images: string[] = [];
    for (const region of found.regions) {
      const block = await regionBlock(doc, region, project, loadSpec, problems, images);
      if (block !== undefined) blocks.push(block);
    }
    diagnostics.push(...problems);
    if (problems.some((d) => d.severity === 'error')) continue;
    let after = '';
    let at = 0;
    found.regions.forEach((region, i) => {
      after += `${doc.text.slice(at, region.from)}${blocks[i]}\n`;
      at = region.to;
    });
    after += doc.text.slice(at);
    docs.push({ file: doc.name, before: doc.text, after, regions: found.regions.length, images });
  }
  const specs = [...loadedSpecs.entries()].flatMap(([path, s]) => (s.source && !known.has(path) ? [s.source] : []));
  return { docs, diagnostics, specs };
}

async function regionBlock(
  doc: SourceFile,
  region: Region,
  project: Project,
  loadSpec: (path: string) => Promise<{ compiled?: CompiledSpec; source?: SourceFile }>,
  problems: Diagnostic[],
  links: string[],
): Promise<string | undefined> {
  const fail = (message: string, hint?: string) => {
    problems.push(error(DiagnosticCodes.DOCS_REGION, message, { file: doc.name, line: region.line, column: 1 }, hint));
    return undefined;
  };
  const { request } = region;
  // The rule includes follow: only a spec file inside the project is read, so a marker cannot
  // make check print another file (an environment, a key) in a code frame.
  const { cwd } = project.host;
  const found = resolveIncludePath(request.spec, project.resolve(doc.name), cwd, cwd, EMBED);
  if ('problem' in found) {
    problems.push(
      error(
        found.problem === 'outside' ? DiagnosticCodes.INCLUDE_OUTSIDE_ROOT : DiagnosticCodes.DOCS_REGION,
        found.message,
        { file: doc.name, line: region.line, column: 1 },
        found.hint,
      ),
    );
    return undefined;
  }
  const specPath = found.file;
  const loaded = await loadSpec(specPath);
  if (!loaded.source) return fail(`no spec at ${request.spec} (paths are relative to this file)`);
  if (!loaded.compiled) return fail(`${request.spec} has errors (reported above)`);
  const spec = loaded.compiled;
  const base = outputBase(specPath);
  const targetName = request.target ?? 'mermaid-sequence';

  if (targetName === MATRIX) {
    if (request.scenario !== undefined) return fail('target=matrix shows every scenario; leave scenario= out');
    const matrix = specMatrix(spec, undefined, project.settings.templates);
    if (!matrix) return fail(`${request.spec} has no variables, so no matrix`);
    return matrix.markdown.value ?? fail(matrix.markdown.diagnostics.map((d) => d.message).join('; '));
  }
  const target = findTarget(targetName);
  const names = [...TARGETS.map((t) => t.name), MATRIX];
  if (!target) return fail(`unknown target "${targetName}" (targets: ${names.join(', ')})`, didYouMean(targetName, names));

  let flow = spec.flow;
  let name = base;
  if (request.scenario !== undefined) {
    const values = parseValues(request.scenario);
    if ('problem' in values) return fail(`scenario=: ${values.problem}`);
    const chosen = chooseScenario(spec, values.values);
    if ('problem' in chosen) return fail(`scenario=: ${chosen.problem}`);
    if ('skip' in chosen) return fail(`scenario=: ${request.spec} does not declare ${Object.keys(values.values).join(', ')}`);
    const drawing = drawingOf(spec.flow, chosen.scenario);
    flow = drawing.flow;
    name = drawingName(base, drawing);
  }
  const embed = request.embed ?? (target.drawnInMarkdown ? 'code' : 'image');
  const file = name + target.extension;
  let template: (context: object) => string;
  try {
    template = project.settings.templates.template(FOLDER, { text: markdownCell, url: markdownUrl, fence: markdownFence }, 'region');
  } catch (cause) {
    return fail(templateFailed(FOLDER, cause).message);
  }
  if (embed === 'image' && !isDrawn(target)) return fail(`${target.name} is text, with no image: embed=code`);
  if (embed === 'image') {
    const image = imageName(file, 'svg');
    links.push(image);
    const link = relative(dirname(doc.name), join(project.settings.outDir, image)).split('\\').join('/');
    return template({ image: true, title: flow.title, link }).replace(/\n$/, '');
  }
  const text = generate(target, flow, project.settings.view, project.settings.templates);
  if (text.value === undefined) return fail(text.diagnostics.map((d) => d.message).join('; '));
  return template({ image: false, language: target.codeBlock, source: text.value.replace(/\n$/, '') }).replace(/\n$/, '');
}
