// The naive ways of drawing a folder of diagram sources, one process per file and format, as a
// Makefile or a docs script would: `node bench/naive.js cli|node-plantuml SOURCES OUT`.
//   cli            mmdc for each .mmd and `java -jar plantuml.jar` for each .puml
//   node-plantuml  node-plantuml's generate() for each .puml (a JVM each, PlantUML 1.2019)
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
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

if (mode === 'cli') {
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
  // The same Mermaid settings protoflow draws with, so both ways draw the same diagrams.
  const mermaidConfig = join(settings, 'mermaid.json');
  writeFileSync(mermaidConfig, JSON.stringify({ ...MERMAID_BASE_CONFIG, ...mermaidFlowchart.renderConfig }));
  const jar = plantUmlJar();
  // Only the diagram sources: the presence matrices beside them are Markdown, drawn by nobody.
  for (const file of readdirSync(sources)
    .filter((f) => f.endsWith('.mmd') || f.endsWith('.puml'))
    .sort()) {
    for (const format of FORMATS) {
      const input = join(sources, file);
      const result = file.endsWith('.mmd')
        ? spawnSync(MMDC, ['-q', '-i', input, '-o', join(out, `${file}.${format}`), '-p', puppeteerConfig, '-c', mermaidConfig, '-s', '2', '-b', 'white'])
        : spawnSync('java', [
            '-Djava.awt.headless=true',
            '-DPLANTUML_SECURITY_PROFILE=SANDBOX',
            `-DPLANTUML_LIMIT_SIZE=${PLANTUML_LIMIT_SIZE}`,
            '-jar',
            jar.path,
            `-t${format}`,
            '-o',
            resolve(out),
            input,
          ]);
      if (result.status !== 0) failures++;
    }
  }
} else if (mode === 'node-plantuml') {
  const plantuml = createRequire(import.meta.url)('./baseline/node_modules/node-plantuml');
  for (const file of readdirSync(sources)
    .filter((f) => f.endsWith('.puml'))
    .sort()) {
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
