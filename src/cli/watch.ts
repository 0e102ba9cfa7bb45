import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import { watch as watchFiles, type FSWatcher } from 'chokidar';
import { build } from '../project/build.js';
import { Project } from '../project/project.js';
import { DiagnosticCodes, errorCount, hasErrors, sortDiagnostics } from '../diagnostics/diagnostic.js';
import { RenderSession } from '../render/session.js';
import { TemplateSet } from '../targets/generate.js';
import { printDiagnostics, type Io } from './output.js';
import { display, isInside, realOrAsIs, SPEC_FILE } from '../compile/include-path.js';

/** Changes closer together than this are one rebuild (an editor's save is often several events). */
const SETTLE_MS = 150;

/**
 * `build --watch`: builds, then rebuilds whenever a spec or template changes, until interrupted.
 * A changed spec rebuilds that spec and the specs that include it; a changed template rebuilds every spec (each writes only what
 * changed). The renderers stay warm between rebuilds. A spec with errors is reported and its
 * previous outputs stay; watching goes on. Resolves when `stop` fires (SIGINT by default).
 */
export async function watchBuild(project: Project, options: { force: boolean }, io: Io, stop: Promise<void>, noColor: boolean): Promise<number> {
  const { inputs, specRoots, renderTimeoutMs, drawing } = project.settings;
  const at = (file: string) => project.resolve(file);
  const shown = (file: string) => display(file, io.cwd);
  let session = new RenderSession(renderTimeoutMs, drawing, project.host);
  // A changed template is read again: each build after one gets a new template set.
  let templateSet = project.settings.templates;
  const templates = at(templateSet.dir);
  /** Spec → the real paths of the specs it includes, from its last build: a change to one of those rebuilds it. */
  const includes = new Map<string, string[]>();
  const inInputs = (file: string) => inputs.some((input) => isInside(at(file), at(input)));
  /** Included specs outside the folders watched, which are watched too. */
  const outside = () => [...new Set([...includes.values()].flat())].filter((file) => !inInputs(file));
  let watcher: FSWatcher | undefined;
  const rebuild = async (specs: readonly string[], what: string) => {
    const started = Date.now();
    // A new project each time, so that every spec is compiled afresh. Paths from the command line
    // or the config stay the folders includes must keep inside.
    const now = new Project(project.host, { ...project.settings, specRoots: [...specRoots, ...inputs], inputs: specs, templates: templateSet });
    const report = await build(now, { write: true, force: options.force, session });
    for (const [spec, paths] of report.includes) includes.set(spec, paths);
    watcher?.add(outside());
    const diagnostics = sortDiagnostics(report.diagnostics);
    // A time limit stops the renderers of that build: the next one starts fresh ones.
    if (diagnostics.some((d) => d.code === DiagnosticCodes.RENDER_TIMEOUT)) {
      await session.close();
      session = new RenderSession(renderTimeoutMs, drawing, project.host);
    }
    await printDiagnostics(diagnostics, report.sources, io, noColor);
    const errors = errorCount(diagnostics);
    const written = report.written.length > 0 ? `wrote ${report.written.join(', ')}` : 'nothing to write';
    const line = `${new Date().toLocaleTimeString()} ${what}: ${written}; ${errors} error(s), ${Date.now() - started} ms`;
    (hasErrors(diagnostics) ? io.stderr : io.stdout).write(`${line}\n`);
  };

  await rebuild(inputs, 'build');
  watcher = watchFiles([...inputs.map(at), templates, ...outside()], { ignoreInitial: true, awaitWriteFinish: false });
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const flush = () => {
    // chokidar names files as it was given them: absolute; messages name them as the user would.
    const changed = [...pending].map(shown);
    pending.clear();
    running = running.then(async () => {
      const templateChanged = changed.some((file) => at(file).startsWith(templates + sep));
      const changedSpecs = changed.filter((file) => SPEC_FILE.test(file) && !at(file).startsWith(templates + sep));
      const real = new Set(changedSpecs.map((file) => realOrAsIs(at(file))));
      const includers = [...includes].filter(([, paths]) => paths.some((path) => real.has(path))).map(([spec]) => spec);
      // A deleted spec rebuilds the specs that include it (which now report it missing), not itself.
      const specs = [...new Set([...changedSpecs.filter(inInputs), ...includers])].filter((file) => existsSync(at(file)));
      if (templateChanged) {
        templateSet = new TemplateSet(templateSet.dir);
        await rebuild(inputs, `${changed.join(', ')} changed`);
      } else if (specs.length > 0) await rebuild(specs, `${changedSpecs.join(', ')} changed`);
    });
  };
  watcher.on('all', (event, file) => {
    if (event === 'unlinkDir' || event === 'addDir') return;
    pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(flush, SETTLE_MS);
  });
  await new Promise<void>((ready) => watcher?.once('ready', () => ready()));
  io.stdout.write(`watching ${[...inputs, 'templates'].join(', ')}; Ctrl-C stops\n`);
  await stop;
  clearTimeout(timer);
  await running;
  await watcher.close();
  await session.close();
  return 0;
}
