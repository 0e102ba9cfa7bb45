// The rendering benchmark's corpus: the bundled specs (three long ones), plus generated flows of
// the size most protocol documentation has (two to four participants, about a dozen steps: an
// OAuth or payment handshake), until there are enough diagrams. Deterministic: the same corpus on
// every run.
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { TARGETS } from '../dist/targets/registry.js';

const WORDS = ['token', 'session', 'nonce', 'challenge', 'grant', 'scope', 'ticket', 'key', 'receipt', 'order', 'payment', 'refund', 'claim', 'proof'];
const VERBS = ['Request', 'Issue', 'Verify', 'Refresh', 'Revoke', 'Confirm', 'Reject', 'Forward', 'Sign', 'Settle'];
const PEERS = ['client', 'gateway', 'auth', 'ledger'];

/** A small deterministic generator (mulberry32), so the corpus never changes between runs. */
function random(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generatedSpec(index) {
  const next = random(1000 + index);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const peers = PEERS.slice(0, 2 + (index % 3));
  const message = (i) => {
    const from = pick(peers);
    const to = pick(peers.filter((p) => p !== from));
    return { message: `${pick(VERBS)} ${pick(WORDS)}`, from, to, code: i, ...(next() < 0.4 ? { fields: [`${pick(WORDS)} id`, `${pick(WORDS)} expiry`] } : {}) };
  };
  let code = 1;
  const phases = Array.from({ length: 1 + (index % 2) }, (_, p) => {
    const steps = Array.from({ length: 3 + Math.floor(next() * 5) }, () => message(code++));
    if (p === 0) steps.push({ note: `The ${pick(WORDS)} is checked before anything else is sent.`, at: peers[0] });
    if (p === index % 2) {
      steps.push({
        alt: [
          { when: { outcome: 'accepted' }, steps: [message(code++), message(code++)] },
          { when: { outcome: 'rejected' }, steps: [message(code++), { action: `Log the rejected ${pick(WORDS)}`, by: peers[1] }] },
        ],
      });
    }
    return { title: `Phase ${p + 1}: ${pick(VERBS)} the ${pick(WORDS)}`, steps };
  });
  return stringify({
    protoflow: 1,
    title: `Generated flow ${index + 1}`,
    participants: Object.fromEntries(peers.map((p) => [p, { label: p[0].toUpperCase() + p.slice(1) }])),
    variables: { outcome: { values: { accepted: 'Accepted', rejected: 'Rejected' } } },
    phases,
  });
}

/** Writes the corpus into `dir`; returns how many diagrams its specs make. */
export function writeCorpus(dir, minimumDiagrams) {
  mkdirSync(dir, { recursive: true });
  const bundled = readdirSync('specs').filter((f) => f.endsWith('.yaml'));
  for (const spec of bundled) copyFileSync(join('specs', spec), join(dir, spec));
  let specs = bundled.length;
  for (let i = 0; specs * TARGETS.length < minimumDiagrams; i++, specs++) writeFileSync(join(dir, `generated-${i + 1}.yaml`), generatedSpec(i));
  return specs * TARGETS.length;
}
