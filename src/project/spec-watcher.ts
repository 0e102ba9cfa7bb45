import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import { watch as watchFiles, type FSWatcher } from 'chokidar';
import { display, isInside, realOrAsIs, SPEC_FILE } from '../compile/include-path.js';
import type { Project } from './project.js';

/** Changes closer together than this are one change (an editor's save is often several events). */
const SETTLE_MS = 50;

/** What changed, as the user names the files: the specs to build again (or every one, after a template changed). */
export interface SpecChanges {
  /** The files that changed. */
  changed: string[];
  /** The specs to build again: those changed and those including one that changed. */
  specs: string[];
  /** A template changed: every spec is built again, with the templates read afresh. */
  templates: boolean;
  /** Specs that were there and are gone. */
  deleted: string[];
}

/**
 * Watches a project's specs, the specs they include (also outside the spec folders) and its
 * templates, and reports each settled change once the previous one was handled. A deleted spec
 * is reported through the specs including it (which now find it missing), not itself.
 */
export class SpecWatcher {
  /** Spec → the real paths of the specs it includes, from its last compile. */
  private readonly includes = new Map<string, readonly string[]>();
  private readonly pending = new Set<string>();
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private running = Promise.resolve();
  /** Changes settled and queued behind the one being handled. */
  private queued = 0;
  private readonly templatesDir: string;

  constructor(
    private readonly project: Project,
    private readonly onChange: (changes: SpecChanges) => Promise<void>,
  ) {
    this.templatesDir = project.resolve(project.settings.templates.dir);
  }

  /** What a spec includes now, so that a change to an included spec reaches it. */
  included(spec: string, paths: readonly string[]): void {
    this.includes.set(spec, paths);
    this.watcher?.add(this.outside());
  }

  /** A change arrived that is not handled yet: work for the current one may wait. */
  changesWaiting(): boolean {
    return this.pending.size > 0 || this.queued > 0;
  }

  /** Starts watching; resolves once the files are being watched. */
  async start(): Promise<void> {
    const { inputs } = this.project.settings;
    this.watcher = watchFiles([...inputs.map((input) => this.project.resolve(input)), this.templatesDir, ...this.outside()], {
      ignoreInitial: true,
      awaitWriteFinish: false,
    });
    this.watcher.on('all', (event, file) => {
      if (event === 'unlinkDir' || event === 'addDir') return;
      this.pending.add(file);
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.flush(), SETTLE_MS);
    });
    await new Promise<void>((ready) => this.watcher?.once('ready', () => ready()));
  }

  /** Stops watching, once the change being handled is done. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    await this.running;
    await this.watcher?.close();
  }

  private inInputs(file: string): boolean {
    return this.project.settings.inputs.some((input) => isInside(this.project.resolve(file), this.project.resolve(input)));
  }

  /** Included specs outside the folders watched, which are watched too. */
  private outside(): string[] {
    return [...new Set([...this.includes.values()].flat())].filter((file) => !this.inInputs(file));
  }

  private flush(): void {
    const at = (file: string) => this.project.resolve(file);
    // chokidar names files as it was given them (absolute); changes name them as the user would.
    const changed = [...this.pending].map((file) => display(file, this.project.host.cwd));
    this.pending.clear();
    const inTemplates = (file: string) => at(file).startsWith(this.templatesDir + sep);
    this.queued++;
    this.running = this.running.then(async () => {
      this.queued--;
      const templates = changed.some(inTemplates);
      const changedSpecs = changed.filter((file) => SPEC_FILE.test(file) && !inTemplates(file));
      const real = new Set(changedSpecs.map((file) => realOrAsIs(at(file))));
      const includers = [...this.includes].filter(([, paths]) => paths.some((path) => real.has(path))).map(([spec]) => spec);
      const specs = [...new Set([...changedSpecs.filter((file) => this.inInputs(file)), ...includers])].filter((file) => existsSync(at(file)));
      const deleted = changedSpecs.filter((file) => !existsSync(at(file)));
      if (templates || specs.length > 0 || deleted.length > 0) await this.onChange({ changed, specs, templates, deleted });
    });
  }
}
