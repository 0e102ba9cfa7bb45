import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Project } from '../project/project.js';
import { stampFolder } from '../project/stamp-cache.js';
import { launchBrowser } from '../render/browser/launch.js';
import { findOnPath } from '../shared/find-program.js';
import { CJK_FONTS, installHint } from '../shared/install-hints.js';
import { findJava } from '../render/plantuml/find-java.js';
import { plantUmlCoreVersion } from '../render/plantuml/in-browser.js';
import { plantUmlJar } from '../render/plantuml/jar.js';
import { findPngPalette } from '../render/png-palette.js';
import type { Host } from '../shared/host.js';
import { ownManifest } from './invocation.js';

const run = promisify(execFile);

export type Status = 'ok' | 'warning' | 'error';

/** One line of the report: what was looked at, how it stands, and what was found. */
export interface Finding {
  name: string;
  status: Status;
  detail: string;
}

export interface DoctorSettings {
  /** The project checked for: what it draws, and the host it runs on. */
  project: Project;
  /** The config file found, or undefined when protoflow runs on its defaults. */
  configFile: string | undefined;
}

const PROBE_TIMEOUT_MS = 30_000;

/**
 * What this machine can draw: Node, the browser (started, to be sure it runs), Java or the browser
 * engine for PlantUML, fonts, the cache folder and the config; an error where a format the
 * project asks for cannot be drawn here.
 */
export async function diagnose({ project, configFile }: DoctorSettings): Promise<Finding[]> {
  const { formats, targets, drawing } = project.settings;
  const { host } = project;
  const images = formats.filter((f) => f !== 'source');
  const plantuml = targets.some((t) => t.engine === 'plantuml');
  const useJava = project.drawing().plantumlDrawer === 'java';
  const inBrowser = [
    ...(images.length > 0 && targets.some((t) => t.engine === 'mermaid') ? ['Mermaid'] : []),
    ...(images.length > 0 && plantuml && !useJava ? ['PlantUML'] : []),
    ...(images.includes('png') ? ['PNG images'] : []),
  ];
  const javaFound = findJava(host.env);
  const [browser, java, fonts] = await Promise.all([browserFinding(host, inBrowser), javaVersion(javaFound), fontFindings(host)]);
  const browserOk = browser.status === 'ok';

  const plantumlFinding = (): Finding => {
    const need = plantuml && images.length > 0;
    if (useJava) {
      const jar = plantUmlJar();
      if (!java || 'problem' in jar) {
        const problem = 'problem' in jar ? jar.problem : 'problem' in javaFound ? javaFound.problem : `${javaFound.path} -version failed`;
        return { name: 'PlantUML', status: need ? 'error' : 'warning', detail: `--plantuml-engine java: ${problem}` };
      }
      return { name: 'PlantUML', status: 'ok', detail: `drawn by PlantUML ${jar.version} in one JVM: ${java}` };
    }
    const why = drawing.plantumlEngine === 'browser' ? 'as asked' : 'no Java found';
    const detail = `drawn by @plantuml/core ${plantUmlCoreVersion()} in the browser (${why}); with Java, a warm JVM draws large diagrams faster`;
    return {
      name: 'PlantUML',
      status: browserOk ? 'ok' : need ? 'error' : 'warning',
      detail: browserOk ? detail : `${detail}, and there is no browser (above)`,
    };
  };

  const running = process.versions.node;
  const needed = nodeRange();
  return [
    { name: 'Node.js', status: atLeast(running, needed) ? 'ok' : 'error', detail: `v${running} (protoflow needs >=${needed})` },
    // A browser this project never needs is worth a warning, not a failure.
    { ...browser, status: browserOk ? 'ok' : inBrowser.length > 0 ? 'error' : 'warning' },
    plantumlFinding(),
    await pngFinding(images.includes('png')),
    ...fonts,
    { name: 'cache', status: 'ok', detail: stampFolder(host) },
    { name: 'config', status: 'ok', detail: configFile ?? 'none: protoflow runs on its defaults (specs/ -> out/, every target and format)' },
  ];
}

/** Whether PNGs get a palette (sharp, loaded as a build would load it): a quarter of the bytes with it. */
async function pngFinding(drawsPngs: boolean): Promise<Finding> {
  if (!drawsPngs) return { name: 'PNG', status: 'ok', detail: 'the project draws no PNG' };
  const palette = await findPngPalette().describe();
  if ('problem' in palette)
    return {
      name: 'PNG',
      status: 'warning',
      detail: `${palette.problem} (a quarter of the bytes with one): install sharp for this platform, see sharp.pixelplumbing.com/install`,
    };
  return { name: 'PNG', status: 'ok', detail: `written with a palette by ${palette.by}` };
}

/** The browser found and its version, by starting it as a build would; `uses` says what the project draws in it. */
async function browserFinding(host: Host, uses: readonly string[]): Promise<Finding> {
  const launched = await launchBrowser(host, PROBE_TIMEOUT_MS);
  if ('problem' in launched) return { name: 'browser', status: 'error', detail: launched.problem.message };
  try {
    const drawing = uses.length > 0 ? ` (draws ${uses.join(', ')})` : ' (the project draws nothing in it)';
    return { name: 'browser', status: 'ok', detail: `${launched.path}: ${await launched.browser.version()}${drawing}` };
  } finally {
    await launched.browser.close().catch(() => launched.browser.process()?.kill('SIGKILL'));
  }
}

/** `java -version`'s first line and where it is, when Java is found. */
async function javaVersion(java: ReturnType<typeof findJava>): Promise<string | undefined> {
  if ('problem' in java) return undefined;
  try {
    const { stderr, stdout } = await run(java.path, ['-version'], { timeout: PROBE_TIMEOUT_MS });
    return `${(stderr || stdout).split('\n')[0]!.trim()} (${java.path})`;
  } catch {
    return undefined;
  }
}

/** The fonts diagrams are measured and drawn in, and whether CJK labels can be drawn: asked of fontconfig. */
async function fontFindings(host: Host): Promise<Finding[]> {
  const fcList = findOnPath('fc-list', host.env);
  if (!fcList) {
    const status: Status = process.platform === 'linux' ? 'warning' : 'ok';
    return [{ name: 'fonts', status, detail: 'not checked: fontconfig (fc-list) is not installed' }];
  }
  const families = async (...args: string[]) => (await run(fcList, [...args, 'family'], { timeout: PROBE_TIMEOUT_MS }).catch(() => ({ stdout: '' }))).stdout;
  const [all = '', ...cjk] = await Promise.all([':', ':lang=zh', ':lang=ja', ':lang=ko'].map((pattern) => families(pattern)));
  const wanted = ['Liberation Sans', 'DejaVu Sans'];
  const missing = wanted.filter((family) => !all.includes(family));
  return [
    {
      name: 'fonts',
      status: missing.length > 0 ? 'warning' : 'ok',
      detail:
        missing.length > 0
          ? `${missing.join(' and ')} not installed: Mermaid measures text in Liberation Sans and PlantUML's PNGs draw in DejaVu Sans, so other fonts may overflow their boxes`
          : `${wanted.join(', ')}`,
    },
    cjk.join('').trim()
      ? { name: 'CJK fonts', status: 'ok', detail: 'installed: Chinese, Japanese and Korean labels draw' }
      : { name: 'CJK fonts', status: 'warning', detail: `none installed: Chinese, Japanese and Korean labels draw as boxes; ${installHint(CJK_FONTS)}` },
  ];
}

function nodeRange(): string {
  return ownManifest().engines.node.replace(/^>=/, '');
}

function atLeast(version: string, minimum: string): boolean {
  const [a, b] = [version, minimum].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if ((a![i] ?? 0) !== (b![i] ?? 0)) return (a![i] ?? 0) > (b![i] ?? 0);
  return true;
}
