// The rendering benchmark's corpus, as issue 21 measured it: the bundled specs plus copies of them
// (under other names, so that each is drawn again) up to 56 diagrams, 14 specs. The bundled specs
// are the longest flows protoflow has: the heavy end of what a docs folder holds. The same corpus
// on every run.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DRAWN_TARGETS } from '../dist/targets/registry.js';

/** Writes the corpus into `dir`: every bundled spec, and copies until its specs draw `diagrams` images; returns how many they draw. */
export function writeCorpus(dir, diagrams) {
  mkdirSync(dir, { recursive: true });
  const bundled = readdirSync('specs')
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const specs = Math.max(bundled.length, Math.ceil(diagrams / DRAWN_TARGETS.length));
  for (let i = 0; i < specs; i++) {
    const spec = bundled[i % bundled.length];
    const round = Math.floor(i / bundled.length);
    copyFileSync(join('specs', spec), join(dir, round === 0 ? spec : `copy-${round}-${spec}`));
  }
  return specs * DRAWN_TARGETS.length;
}
