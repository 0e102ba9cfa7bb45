// The ways of drawing a folder of diagram sources without protoflow: `node bench/naive.js cli|best|node-plantuml SOURCES OUT`.
//   cli            the naive way, one process per file and format, as a Makefile or a docs script
//                  would: mmdc for each .mmd and `java -jar plantuml.jar` for each .puml
//   best           the best a user could do by hand: per format, one JVM for every .puml
//                  (`-nbthread auto`) and one mmdc for a Markdown file holding every Mermaid diagram
//   node-plantuml  node-plantuml's generate() for each .puml (a JVM each, PlantUML 1.2019)
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { plantUmlJar } from '../dist/render/plantuml/jar.js';
import { findBrowser } from '../dist/render/browser/find-browser.js';
import { PLANTUML_LIMIT_SIZE } from '../dist/render/plantuml/pipe.js';
import { MERMAID_BASE_CONFIG } from '../dist/render/mermaid/draw.js';
import { mermaidFlowchart } from '../dist/targets/mermaid-flowchart.js';

const [mode, sources, out] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const FORMATS = ['svg', 'png'];
const MMDC = fileURLToPath(new URL('baseline/node_modules/.bin/mmdc', import.meta.url));
let failures = 0;

/** mmdc's settings: the system browser, and the same Mermaid settings protoflow draws with, so both ways draw the same diagrams. */
async function mmdcSettings() {
  const browser = await findBrowser(process.cwd(), process.env);
  if ('problem' in browser) throw new Error(browser.problem);
  const settings = mkdirSync(join(tmpdir(), `protoflow-naive-${process.pid}`), { recursive: true });
  const puppeteerConfig = join(settings, 'puppeteer.json');
  writeFileSync(
    puppeteerConfig,
    JSON.stringify({
      executablePath: browser.path,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    }),
  );
  const mermaidConfig = join(settings, 'mermaid.json');
  writeFileSync(mermaidConfig, JSON.stringify({ ...MERMAID_BASE_CONFIG, ...mermaidFlowchart.renderConfig }));
  return { settings, args: ['-p', puppeteerConfig, '-c', mermaidConfig, '-s', '2', '-b', 'white'] };
}

const PLANTUML_JVM = ['-Djava.awt.headless=true', '-DPLANTUML_SECURITY_PROFILE=SANDBOX', `-DPLANTUML_LIMIT_SIZE=${PLANTUML_LIMIT_SIZE}`];
// Only the diagram sources: the presence matrices and text ladders beside them are drawn by nobody.
const files = (extension) =>
  readdirSync(sources)
    .filter((f) => f.endsWith(extension))
    .sort();

if (mode === 'cli') {
  const mmdc = await mmdcSettings();
  const jar = plantUmlJar();
  for (const file of [...files('.mmd'), ...files('.puml')].sort()) {
    for (const format of FORMATS) {
      const input = join(sources, file);
      const result = file.endsWith('.mmd')
        ? spawnSync(MMDC, ['-q', '-i', input, '-o', join(out, `${file}.${format}`), ...mmdc.args])
        : spawnSync('java', [...PLANTUML_JVM, '-jar', jar.path, `-t${format}`, '-o', resolve(out), input]);
      if (result.status !== 0) failures++;
    }
  }
} else if (mode === 'best') {
  const mmdc = await mmdcSettings();
  const jar = plantUmlJar();
  const markdown = join(mmdc.settings, 'diagrams.md');
  writeFileSync(
    markdown,
    files('.mmd')
      .map((file) => `\`\`\`mermaid\n${readFileSync(join(sources, file), 'utf8')}\n\`\`\`\n`)
      .join('\n'),
  );
  const puml = files('.puml').map((file) => join(sources, file));
  for (const format of FORMATS) {
    const mermaid = spawnSync(MMDC, ['-q', '-i', markdown, '-o', join(out, `mermaid-${format}.md`), '-e', format, ...mmdc.args]);
    const plantuml = spawnSync('java', [...PLANTUML_JVM, '-jar', jar.path, '-nbthread', 'auto', `-t${format}`, '-o', resolve(out), ...puml]);
    if (mermaid.status !== 0) failures++;
    if (plantuml.status !== 0) failures++;
  }
} else if (mode === 'node-plantuml') {
  const plantuml = createRequire(import.meta.url)('./baseline/node_modules/node-plantuml');
  for (const file of files('.puml')) {
    for (const format of FORMATS) {
      const output = createWriteStream(join(out, `${file}.${format}`));
      plantuml.generate(join(sources, file), { format }).out.pipe(output);
      await once(output, 'close');
    }
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
console.log(JSON.stringify({ failures }));
