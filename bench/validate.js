// Validation and generation speed, measured on the compiled code (`npm run bench` compiles first).
// Issue 2: validating a spec with 5,000 messages takes well under a second.
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { compileSpec } from '../dist/compile/load-spec.js';
import { parseCarefully } from '../dist/source/yaml.js';
import { generate } from '../dist/targets/generate.js';
import { TARGETS } from '../dist/targets/registry.js';

const MESSAGES = 5000;
const RUNS = 7;
const VALIDATE_BUDGET_MS = 1000;

function largeSpec(messages) {
  const steps = [];
  for (let i = 0; i < messages; i++) {
    const message = { message: `Message ${i}`, from: i % 2 ? 'server' : 'client', to: i % 2 ? 'client' : 'server', code: i, fields: ['Field a', 'Field b'] };
    // Every tenth message sits in an alternative, so nesting and conditions are exercised too.
    steps.push(i % 10 === 0 ? { alt: [{ when: { mode: 'a' }, steps: [message] }, { steps: [{ note: 'otherwise', at: 'client' }] }] } : message);
  }
  return stringify({
    protoflow: 1,
    title: 'Large flow',
    participants: { client: { label: 'Client' }, server: { label: 'Server' } },
    variables: { mode: { values: { a: 'A', b: 'B' } } },
    phases: [{ title: 'Everything', steps }],
  });
}

function median(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(fn) {
  const samples = [];
  let result;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    result = fn();
    samples.push(performance.now() - start);
  }
  return { ms: median(samples), result };
}

const text = largeSpec(MESSAGES);
const validate = time(() => compileSpec({ name: 'large.yaml', text }, process.cwd()));
if (!validate.result.value) throw new Error(`the bench spec is invalid: ${JSON.stringify(validate.result.diagnostics[0])}`);
console.log(
  `validate ${MESSAGES} messages (${(text.length / 1024).toFixed(0)} KiB of YAML): ${validate.ms.toFixed(0)} ms median of ${RUNS}; budget ${VALIDATE_BUDGET_MS} ms; ratio to budget ${(validate.ms / VALIDATE_BUDGET_MS).toFixed(2)}`,
);
// The naive way: every file through the positioned parse, which is what the fast load avoids.
const careful = time(() => parseCarefully({ name: 'large.yaml', text }));
console.log(
  `naive: positioned parse alone ${careful.ms.toFixed(0)} ms; validate is ${(careful.ms / validate.ms).toFixed(1)}x faster than parsing the naive way`,
);
for (const target of TARGETS) {
  const generated = time(() => generate(target, validate.result.value.flow));
  console.log(`generate ${target.name}: ${generated.ms.toFixed(0)} ms median of ${RUNS} (${(generated.result.value.length / 1024).toFixed(0)} KiB)`);
}
if (validate.ms >= VALIDATE_BUDGET_MS) {
  console.error(`validation is over budget: ${validate.ms.toFixed(0)} ms`);
  process.exitCode = 1;
}
