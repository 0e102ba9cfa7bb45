import fc from 'fast-check';

/** Participant ids that are keywords in the diagram languages, to prove ids are never written raw. */
export const PARTICIPANTS = ['client', 'server', 'end', 'note', 'box'];
const participant = fc.constantFrom(...PARTICIPANTS);
export const label = fc
  .string({ minLength: 1, maxLength: 20, unit: 'grapheme' })
  .filter((s) => !/[\x00-\x09\x0b-\x1f\x7f]/.test(s) && /\S/.test(s));

export type StepData = Record<string, unknown>;

/** Random valid steps, nested up to three levels, using every step kind. */
const { step } = fc.letrec<{ step: StepData; steps: StepData[] }>((tie) => ({
  steps: fc.array(tie('step'), { minLength: 1, maxLength: 4 }),
  step: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ message: label, from: participant, to: participant, fields: fc.array(label, { maxLength: 2 }) }),
    fc.record({ action: label, by: participant }),
    fc.record({ note: label, at: fc.oneof(participant, fc.uniqueArray(participant, { minLength: 1, maxLength: 3 })) }),
    fc.record({
      alt: fc.tuple(tie('steps'), tie('steps')).map(([a, b]) => [
        { when: { mode: 'a' }, steps: a },
        { steps: b },
      ]),
    }),
    fc.record({ opt: fc.record({ when: fc.constant({ mode: ['a', 'b'] }), steps: tie('steps') }) }),
    fc.record({ loop: fc.record({ label, steps: tie('steps') }) }),
    fc.record({ group: fc.record({ label, steps: tie('steps') }) }),
    fc.record({ par: fc.tuple(tie('steps'), tie('steps')).map(([a, b]) => [{ label: 'one', steps: a }, { steps: b }]) }),
  ),
}));

/** Random valid specs: every step kind, nested, with random labels. */
export const spec = fc.array(step, { minLength: 1, maxLength: 5 }).map((steps) => ({
  protoflow: 1,
  title: 'Generated',
  participants: Object.fromEntries(PARTICIPANTS.map((id) => [id, {}])),
  variables: { mode: { values: { a: 'A', b: 'B' } } },
  phases: [{ title: 'Only phase', steps }],
}));

