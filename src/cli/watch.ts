import { existsSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { watch as watchFiles, type FSWatcher } from 'chokidar';
import { build, type BuildOptions } from '../project/build.js';
import { DiagnosticCodes, errorCount, hasErrors, sortDiagnostics } from '../diagnostics/diagnostic.js';
import { RenderSession } from '../render/session.js';
import { TemplateSet } from '../targets/generate.js';
import { printDiagnostics, type Io } from './output.js';
import { isInside, realOrAsIs, SPEC_FILE } from '../compile/include-path.js';

/** Changes closer together than this are one rebuild (an editor's save is often several events). */
const SETTLE_MS = 150;

/**
 * `build --watch`: builds, then rebuilds whenever a spec or template changes, until interrupted.
 * A changed spec rebuilds that spec and the specs that include it; a changed template rebuilds every spec (each writes only what
 * changed). The renderers stay warm between rebuilds. A spec with errors is reported and its
 * previous outputs stay; watching goes on. Resolves when `stop` fires (SIGINT by default).
 */
export async function watchBuild(options: BuildOptions & { renderTimeoutMs: number }, io: Io, stop: Promise<void>, noColor: boolean): Promise<number> {
  let session = new RenderSession(options.renderTimeoutMs, options.drawing);
  // A changed template is read again: each build after one gets a new template set.
  let templateSet = options.templates ?? new TemplateSet();
  const templates = resolve(templateSet.dir);
  /** Spec → the real paths of the specs it includes, from its last build: a change to one of those rebuilds it. */
  const includes = new Map<string, string[]>();
  const inInputs = (file: string) => options.inputs.some((input) => isInside(resolve(file), resolve(input)));
  /** Included specs outside the folders watched, which are watched too. */
  const outside = () => [...new Set([...includes.values()].flat())].filter((file) => !inInputs(file));
  let watcher: FSWatcher | undefined;
  const rebuild = async (inputs: readonly string[], what: string) => {
    const started = Date.now();
    // Paths from the command line or the config stay the folders includes must keep inside.
    const report = await build({ ...options, specRoots: [...(options.specRoots ?? []), ...options.inputs], inputs, session, templates: templateSet });
    for (const [spec, paths] of report.includes) includes.set(spec, paths);
    watcher?.add(outside());
    const diagnostics = sortDiagnostics(report.diagnostics);
    // A time limit stops the renderers of that build: the next one starts fresh ones.
    if (diagnostics.some((d) => d.code === DiagnosticCodes.RENDER_TIMEOUT)) {
      await session.close();
      session = new RenderSession(options.renderTimeoutMs, options.drawing);
    }
    await printDiagnostics(diagnostics, report.sources, io, noColor);
    const errors = errorCount(diagnostics);
    const written = report.written.length > 0 ? `wrote ${report.written.join(', ')}` : 'nothing to write';
    const line = `${new Date().toLocaleTimeString()} ${what}: ${written}; ${errors} error(s), ${Date.now() - started} ms`;
    (hasErrors(diagnostics) ? io.stderr : io.stdout).write(`${line}\n`);
  };

  await rebuild(options.inputs, 'build');
  watcher = watchFiles([...options.inputs, templates, ...outside()], { ignoreInitial: true, awaitWriteFinish: false });
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const flush = () => {
    const changed = [...pending];
    pending.clear();
    running = running.then(async () => {
      const templateChanged = changed.some((file) => resolve(file).startsWith(templates + sep));
      const changedSpecs = changed.filter((file) => SPEC_FILE.test(file) && !resolve(file).startsWith(templates + sep));
      const real = new Set(changedSpecs.map(realOrAsIs));
      const includers = [...includes].filter(([, paths]) => paths.some((path) => real.has(path))).map(([spec]) => spec);
      // A deleted spec rebuilds the specs that include it (which now report it missing), not itself.
      const specs = [...new Set([...changedSpecs.filter(inInputs), ...includers])].filter((file) => existsSync(file));
      if (templateChanged) {
        templateSet = new TemplateSet(templateSet.dir);
        await rebuild(options.inputs, `${changed.join(', ')} changed`);
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
  io.stdout.write(`watching ${[...options.inputs, 'templates'].join(', ')}; Ctrl-C stops\n`);
  await stop;
  clearTimeout(timer);
  await running;
  await watcher.close();
  await session.close();
  return 0;
}
