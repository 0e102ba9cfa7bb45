import fc from 'fast-check';

/** Participant ids that are keywords in the diagram languages, to prove ids are never written raw. */
export const PARTICIPANTS = ['client', 'server', 'end', 'note', 'box'];
const participant = fc.constantFrom(...PARTICIPANTS);
export const label = fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }).filter((s) => !/[\x00-\x09\x0b-\x1f\x7f]/.test(s) && /\S/.test(s));

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
      alt: fc.tuple(tie('steps'), tie('steps')).map(([a, b]) => [{ when: { mode: 'a' }, steps: a }, { steps: b }]),
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

/** The variables of `scenarioSpec`, in declaration order; each takes its first value by default. */
export const SCENARIO_VARIABLES: Readonly<Record<string, readonly string[]>> = { mode: ['a', 'b', 'c'], side: ['x', 'y'] };

/** A `when` naming one or both variables, each with one or more values. */
const when = fc
  .record(Object.fromEntries(Object.entries(SCENARIO_VARIABLES).map(([id, values]) => [id, fc.subarray([...values], { minLength: 1 })])), { requiredKeys: [] })
  .filter((w) => Object.keys(w).length > 0);

/** Random valid steps whose alternatives test random values: some branches overlap, some alts leave values out. */
const { scenarioStep } = fc.letrec<{ scenarioStep: StepData; scenarioSteps: StepData[] }>((tie) => ({
  scenarioSteps: fc.array(tie('scenarioStep'), { minLength: 1, maxLength: 3 }),
  scenarioStep: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ message: label, from: participant, to: participant }),
    fc.record({ action: label, by: participant }),
    fc.record({
      alt: fc
        .tuple(fc.array(fc.record({ when, steps: tie('scenarioSteps') }), { minLength: 1, maxLength: 3 }), fc.option(tie('scenarioSteps'), { nil: undefined }))
        .map(([branches, otherwise]) => (otherwise ? [...branches, { steps: otherwise }] : branches)),
    }),
    fc.record({ opt: fc.record({ when, steps: tie('scenarioSteps') }, { requiredKeys: ['steps'] }) }),
    fc.record({ loop: fc.record({ label, steps: tie('scenarioSteps') }) }),
    fc.record({ par: fc.tuple(tie('scenarioSteps'), tie('scenarioSteps')).map(([a, b]) => [{ steps: a }, { steps: b }]) }),
  ),
}));

/** One value for some variables, as an entry of `scenarios.only`. */
const someValues = fc.record(Object.fromEntries(Object.entries(SCENARIO_VARIABLES).map(([id, values]) => [id, fc.constantFrom(...values)])), {
  requiredKeys: [],
});

/** Random specs with two variables, random alternatives and, sometimes, `scenarios.exclude` or `scenarios.only`. */
export const scenarioSpec = fc
  .tuple(
    fc.array(scenarioStep, { minLength: 1, maxLength: 5 }),
    fc.oneof(
      fc.constant(undefined),
      fc.record({ exclude: fc.array(when, { minLength: 1, maxLength: 2 }) }),
      fc.record({ only: fc.uniqueArray(fc.record({ values: someValues }), { minLength: 1, maxLength: 3, selector: (e) => JSON.stringify(e) }) }),
    ),
  )
  .map(([steps, scenarios]) => ({
    protoflow: 1,
    title: 'Generated',
    participants: Object.fromEntries(PARTICIPANTS.map((id) => [id, {}])),
    variables: Object.fromEntries(
      Object.entries(SCENARIO_VARIABLES).map(([id, values]) => [id, { values: Object.fromEntries(values.map((v) => [v, v.toUpperCase()])) }]),
    ),
    ...(scenarios ? { scenarios } : {}),
    phases: [{ title: 'Only phase', steps }],
  }));
