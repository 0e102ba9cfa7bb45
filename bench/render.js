// Issue 4: drawing a docs folder of 56 diagrams as SVG and PNG, four ways in one run:
//   naive          mmdc per Mermaid file and `java -jar` per PlantUML file, for each format
//   best by hand   per format, one JVM for all PlantUML files (-nbthread) and one mmdc for a Markdown file of all Mermaid diagrams
//   node-plantuml  node-plantuml per PlantUML diagram and format (the PlantUML half only)
//   protoflow      `protoflow build`: one warm JVM and one Chromium for the whole build (median of 3 runs)
// and the PlantUML half once more with each PlantUML engine (the JVM, and @plantuml/core in
// Chromium for machines without Java), plus a no-op rebuild. Prints wall time, peak memory of each process tree and the ratios.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeCorpus } from './corpus.js';

/** Issue 21's corpus: 14 specs. */
const CORPUS_DIAGRAMS = 56;
const FASTER_TARGET = 10;
const NOOP_BUDGET_MS = 500;
const BIN = resolve('bin/protoflow.js');
const NAIVE = resolve('bench/naive.js');

/** Resident memory of `pid` and every process below it, in bytes, read from /proc. */
function treeRss(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while being read.
    }
  }
  let total = 0;
  const visit = (p) => {
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      total += rss ? Number(rss[1]) * 1024 : 0;
    } catch {
      return;
    }
    for (const child of children.get(p) ?? []) visit(child);
  };
  visit(pid);
  return total;
}

/** Runs a command to the end; its wall time and the peak memory of its process tree. */
async function measure(args, env = {}) {
  const start = performance.now();
  // Run in the corpus's folder: this repository's protoflow.config.yaml (every scenario) is not the corpus's.
  const child = spawn(process.execPath, args, { cwd: work, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, treeRss(child.pid))), 100);
  const code = await new Promise((done) => child.on('close', done));
  clearInterval(sampler);
  return { ms: performance.now() - start, peakMb: peak / 2 ** 20, code, stdout, stderr };
}

function check(run, what) {
  if (run.code !== 0) throw new Error(`${what} failed (exit ${run.code}):\n${run.stderr}${run.stdout}`);
  return run;
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const row = (name, run, images, baseline) =>
  `${name.padEnd(15)} ${seconds(run.ms).padStart(8)}  ${run.peakMb.toFixed(0).padStart(6)} MB  ${images} images${baseline ? `  (protoflow ${(run.ms / baseline.ms).toFixed(1)}x faster)` : ''}`;

const work = mkdtempSync(join(tmpdir(), 'protoflow-bench-'));
const corpus = join(work, 'specs');
const diagrams = writeCorpus(corpus, CORPUS_DIAGRAMS);
console.log(`\nrender: ${diagrams} diagrams (${readdirSync(corpus).length} specs: the bundled ones and copies) x SVG and PNG`);

// The diagram sources both naive ways draw: exactly the ones protoflow draws.
const sources = join(work, 'sources');
check(await measure([BIN, 'build', corpus, '--formats', 'source', '--out', sources]), 'writing the sources');
const puml = readdirSync(sources).filter((f) => f.endsWith('.puml')).length;

const naive = check(await measure([NAIVE, 'cli', sources, join(work, 'naive')]), 'the naive way');
const naiveFailures = JSON.parse(naive.stdout).failures;
const best = check(await measure([NAIVE, 'best', sources, join(work, 'best')]), 'the best way by hand');
const bestFailures = JSON.parse(best.stdout).failures;
const nodePlantuml = check(await measure([NAIVE, 'node-plantuml', sources, join(work, 'node-plantuml')]), 'node-plantuml');
/**
 * The median of three runs, each into an empty folder. A protoflow build is short enough for a
 * burst of other load on the machine to swing one run by tens of percent; the naive ways take
 * minutes, which averages that out, so they run once.
 */
async function median(what, args) {
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const out = join(work, `${what}-${i}`);
    runs.push({ ...check(await measure([...args, '--out', out]), what), out });
  }
  const middle = [...runs].sort((a, b) => a.ms - b.ms)[1];
  return { ...middle, all: runs.map((r) => seconds(r.ms)) };
}
const plantumlHalf = [BIN, 'build', corpus, '--targets', 'plantuml-sequence,plantuml-activity', '--formats', 'svg,png'];
const protoflowPlantuml = await median('protoflow-plantuml', [...plantumlHalf, '--plantuml-engine', 'java']);
const protoflowPlantumlBrowser = await median('protoflow-plantuml-browser', [...plantumlHalf, '--plantuml-engine', 'browser']);
const protoflow = await median('protoflow', [BIN, 'build', corpus]);
// Renderers pointed nowhere: a no-op rebuild that started one would fail.
const nowhere = join(work, 'nowhere');
const noop = check(
  await measure([BIN, 'build', corpus, '--out', protoflow.out], { JAVA_HOME: nowhere, PUPPETEER_EXECUTABLE_PATH: nowhere }),
  'the no-op rebuild',
);

console.log(`way             wall time   peak memory`);
console.log(row('naive', naive, diagrams * 2, protoflow) + (naiveFailures ? `  ${naiveFailures} renders failed` : ''));
console.log(row('best by hand', best, diagrams * 2, protoflow) + (bestFailures ? `  ${bestFailures} runs failed` : ''));
console.log(`${row('protoflow', protoflow, diagrams * 2)}  (median of ${protoflow.all.join(', ')})`);
console.log(`PlantUML half (${puml} diagrams):`);
console.log(row('node-plantuml', nodePlantuml, puml * 2, protoflowPlantuml));
console.log(`${row('protoflow java', protoflowPlantuml, puml * 2)}  (median of ${protoflowPlantuml.all.join(', ')})`);
console.log(
  `${row('protoflow js', protoflowPlantumlBrowser, puml * 2)}  (median of ${protoflowPlantumlBrowser.all.join(', ')}; @plantuml/core in Chromium, no Java; ${(nodePlantuml.ms / protoflowPlantumlBrowser.ms).toFixed(1)}x faster than node-plantuml)`,
);
console.log(`no-op rebuild: ${noop.ms.toFixed(0)} ms, no renderer started (${noop.stdout.trim()}); budget ${NOOP_BUDGET_MS} ms`);

const ratio = naive.ms / protoflow.ms;
console.log(`protoflow is ${ratio.toFixed(1)}x faster than the naive way; target ${FASTER_TARGET}x`);
console.log(`protoflow is ${(best.ms / protoflow.ms).toFixed(1)}x faster than the best way by hand`);
if (ratio < FASTER_TARGET) {
  console.error(`below the ${FASTER_TARGET}x target`);
  process.exitCode = 1;
}
if (noop.ms >= NOOP_BUDGET_MS) {
  console.error(`the no-op rebuild is over budget: ${noop.ms.toFixed(0)} ms`);
  process.exitCode = 1;
}
