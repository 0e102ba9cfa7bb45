import { existsSync } from 'node:fs';
import { writeDocs } from '../docs/write-docs.js';
import { addDocs, build } from '../project/build.js';
import { Project } from '../project/project.js';
import { DiagnosticCodes, errorCount, hasErrors, sortDiagnostics } from '../diagnostics/diagnostic.js';
import { RenderSession } from '../render/session.js';
import { TemplateSet } from '../targets/generate.js';
import { printDiagnostics, type Io } from './output.js';
import { SPEC_FILE } from '../compile/include-path.js';
import { SpecWatcher } from '../project/spec-watcher.js';

/**
 * `build --watch`: builds, then rebuilds whenever a spec or template changes, until interrupted.
 * A changed spec rebuilds that spec and the specs that include it; a changed template rebuilds every spec (each writes only what
 * changed). The renderers stay warm between rebuilds. A spec with errors is reported and its
 * previous outputs stay; watching goes on. Resolves when `stop` fires (SIGINT by default).
 */
export async function watchBuild(
  project: Project,
  /** `docs`: the config's Markdown files, brought up to date after every rebuild. */
  options: { force: boolean; docs: readonly string[] },
  io: Io,
  stop: Promise<void>,
  noColor: boolean,
): Promise<number> {
  const { inputs, specRoots, renderTimeoutMs, drawing } = project.settings;
  let session = new RenderSession(renderTimeoutMs, drawing, project.host);
  // A changed template is read again: each build after one gets a new template set.
  let templates = project.settings.templates;
  let watcher: SpecWatcher | undefined;
  /** Specs whose PNGs a rebuild left for later (a newer change came first): the next rebuild draws them. */
  let owed: readonly string[] = [];
  const rebuild = async (changed: readonly string[], what: string) => {
    const started = Date.now();
    const specs = [...new Set([...changed, ...owed.filter((spec) => existsSync(project.resolve(spec)))])];
    let yielded = false;
    // A new project each time, so that every spec is compiled afresh. Paths from the command line
    // or the config stay the folders includes must keep inside.
    const now = new Project(project.host, { ...project.settings, specRoots: [...specRoots, ...inputs], inputs: specs, templates });
    const report = await build(now, {
      write: true,
      force: options.force,
      session,
      // A save shows first as its sources and SVGs; PNGs follow, unless the next save came meanwhile.
      svgFirst: true,
      yieldPngs: () => (yielded ||= watcher?.changesWaiting() ?? false),
    });
    owed = yielded ? specs : [];
    if (options.docs.length > 0) addDocs(report, await writeDocs(now, options.docs, 'the next rebuild'));
    for (const [spec, paths] of report.includes) watcher?.included(spec, paths);
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

  watcher = new SpecWatcher(project, async ({ changed, specs, templates: templateChanged }) => {
    if (templateChanged) {
      templates = new TemplateSet(templates.dir);
      await rebuild(inputs, `${changed.join(', ')} changed`);
    } else if (specs.length > 0) {
      await rebuild(specs, `${changed.filter((file) => SPEC_FILE.test(file)).join(', ')} changed`);
    }
  });
  await rebuild(inputs, 'build');
  await watcher.start();
  io.stdout.write(`watching ${[...inputs, 'templates'].join(', ')}; Ctrl-C stops\n`);
  await stop;
  await watcher.close();
  await session.close();
  return 0;
}
