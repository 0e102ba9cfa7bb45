import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { FlowIR, Step } from '../src/ir/types.js';
import { declaredScenarios } from '../src/scenarios/declared.js';
import { allScenarios, groupIdentical } from '../src/scenarios/enumerate.js';
import { presenceMatrix } from '../src/scenarios/presence.js';
import { project, projectFlow } from '../src/scenarios/projection.js';
import { drawingOf, plannedDrawings } from '../src/scenarios/plan.js';
import { matrixView } from '../src/views/matrix.js';
import { sequenceView } from '../src/views/sequence.js';
import { completeScenario, describeScenario, parseScenario, scenarioText, type Scenario } from '../src/scenarios/scenario.js';
import { compileSpec, type CompiledSpec } from '../src/compile/load-spec.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { generate } from '../src/targets/generate.js';
import { TARGETS } from '../src/targets/registry.js';
import { scenarioSpec, SCENARIO_VARIABLES, type StepData } from './support/arbitraries.js';
import { parseMermaid } from './support/mermaid.js';
import { renderPlantUml } from './support/plantuml.js';
import { HOST } from './support/host.js';

function compile(name: string, text: string): FlowIR {
  const result = compileSpec({ name, text }, HOST.cwd);
  expect(result.diagnostics).toEqual([]);
  return result.value!.flow;
}

/** A generated spec that compiles, with the warnings it has; generated specs that are errors (all excluded, an `only` entry twice) are skipped. */
function compileGenerated(data: object): { compiled: CompiledSpec; diagnostics: Diagnostic[] } {
  const result = compileSpec({ name: 'random.yaml', text: stringify(data) }, HOST.cwd);
  fc.pre(result.value !== undefined);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { compiled: result.value!, diagnostics: result.diagnostics };
}

const TLS = compile('specs/https-tls12.yaml', readFileSync('specs/https-tls12.yaml', 'utf8'));

function scenario(text: string): Scenario {
  const parsed = parseScenario(text, TLS.variables);
  if ('problem' in parsed) throw new Error(parsed.problem);
  return parsed.scenario;
}

/** Every message, action and note of a flow in order, blocks flattened: what happens in it. */
function leaves(steps: readonly Step[]): string[] {
  return steps.flatMap((s): string[] => {
    switch (s.kind) {
      case 'message':
        return [`message ${s.id ?? s.label}`];
      case 'action':
        return [`action ${s.label}`];
      case 'note':
        return [`note ${s.text}`];
      case 'alt':
      case 'par':
        return s.branches.flatMap((b) => leaves(b.steps));
      case 'opt':
      case 'loop':
      case 'group':
      case 'critical':
      case 'break':
      case 'ref':
        return leaves(s.steps);
      case 'delay':
        return [`delay ${s.text}`];
      case 'destroy':
        return [`destroy ${s.participant}`];
    }
  });
}
const messagesOf = (flow: FlowIR) => flow.phases.flatMap((p) => leaves(p.steps)).filter((l) => l.startsWith('message '));

/** Block kinds left anywhere in a flow. */
function blockKinds(steps: readonly Step[]): string[] {
  return steps.flatMap((s): string[] => {
    if (s.kind === 'alt' || s.kind === 'par') return [s.kind, ...s.branches.flatMap((b) => blockKinds(b.steps))];
    if (s.kind === 'opt' || s.kind === 'loop' || s.kind === 'group') return [s.kind, ...blockKinds(s.steps)];
    return [];
  });
}

describe('scenario projection of the TLS 1.2 spec', () => {
  it('RSA has no Server Key Exchange; ephemeral Diffie-Hellman has it', () => {
    expect(messagesOf(projectFlow(TLS, scenario('keyExchange=rsa')))).not.toContain('message server-key-exchange');
    expect(messagesOf(projectFlow(TLS, scenario('keyExchange=ephemeral-dh')))).toContain('message server-key-exchange');
  });

  it('client authentication on has Certificate Request, the client Certificate and Certificate Verify; off has none', () => {
    const clientAuth = ['message certificate-request', 'message client-certificate', 'message certificate-verify'];
    const on = messagesOf(projectFlow(TLS, scenario('clientAuth=on')));
    const off = messagesOf(projectFlow(TLS, scenario('clientAuth=off')));
    for (const message of clientAuth) {
      expect(on).toContain(message);
      expect(off).not.toContain(message);
    }
  });

  it('names the scenario in the title, every variable, unnamed ones at their default', () => {
    expect(projectFlow(TLS, scenario('keyExchange=rsa,clientAuth=on')).title).toBe(
      'HTTPS with TLS 1.2: Key exchange = RSA, Client authentication = Required, Closes first = The client',
    );
    expect(describeScenario(TLS, scenario(''))).toBe(
      'Key exchange = Ephemeral Diffie-Hellman (DHE/ECDHE/X25519), Client authentication = Not required, Closes first = The client',
    );
  });

  it('refuses an unknown variable or value, saying what is valid', () => {
    expect(parseScenario('keyexchange=rsa', TLS.variables)).toEqual({
      problem: 'unknown variable "keyexchange" (did you mean "keyExchange"?); the variables are keyExchange, clientAuth, closer',
    });
    expect(parseScenario('keyExchange=dhe', TLS.variables)).toEqual({
      problem: 'unknown value "dhe" for keyExchange; its values are static-dh, ephemeral-dh, rsa',
    });
    expect(parseScenario('keyExchange', TLS.variables)).toEqual({ problem: '"keyExchange" is not VARIABLE=VALUE' });
    expect(parseScenario('clientAuth=on,clientAuth=off', TLS.variables)).toEqual({ problem: 'variable "clientAuth" is named twice' });
  });

  // What may happen in every scenario stays optional: the session ticket, the server's answering close_notify, and in TCP's
  // closing (each direction on its own, a par) each acknowledgement that may ride on the other side's FIN.
  it('leaves no alternative in any scenario, only the four opts without when and two pars, and every target draws it so, to the real parsers', async () => {
    const projections = ['static-dh', 'ephemeral-dh', 'rsa'].flatMap((k) =>
      ['on', 'off'].map((c) => projectFlow(TLS, scenario(`keyExchange=${k},clientAuth=${c}`))),
    );
    for (const flow of projections) expect(flow.phases.flatMap((p) => blockKinds(p.steps))).toEqual(['opt', 'par', 'opt', 'par', 'opt', 'opt']);
    const count = (source: string, pattern: RegExp) => source.match(pattern)?.length ?? 0;
    const plantuml: string[] = [];
    for (const flow of projections) {
      for (const target of TARGETS) {
        const source = generate(target, flow).value!;
        if (target.engine !== undefined && target.name.endsWith('sequence')) {
          // A par's second branch is PlantUML's `else`: there is no alt.
          expect(source).not.toMatch(/^\s*alt\b/m);
          expect([count(source, /^\s*opt\b/gm), count(source, /^\s*par\b/gm)]).toEqual([4, 2]);
        }
        // The text ladders draw a block as a labelled rule.
        if (target.name.startsWith('text-sequence')) expect([count(source, /\[opt: /g), count(source, /\[(alt|else)\b/g)]).toEqual([4, 0]);
        if (target.name === 'plantuml-activity') {
          expect(source).not.toMatch(/^\s*elseif\b/m);
          expect(count(source, /^\s*if\b/gm)).toBe(4);
        }
        if (target.name === 'mermaid-flowchart') expect(count(source, /\{"|\{\{/g)).toBe(4);
        if (target.engine === 'plantuml') plantuml.push(source);
        if (target.engine === 'mermaid') expect((await parseMermaid(source)).error).toBeUndefined();
      }
    }
    for (const result of await renderPlantUml(plantuml)) expect(result.error).toBeUndefined();
  });
});

/** The second way: walk the spec's own data, keeping the branches whose `when` holds. */
function walkData(steps: readonly StepData[], chosen: Record<string, string>): string[] {
  const whenHolds = (when: unknown) =>
    Object.entries((when ?? {}) as Record<string, string | string[]>).every(([variable, values]) => [values].flat().includes(chosen[variable]!));
  return steps.flatMap((step): string[] => {
    if ('message' in step) return [`message ${String(step.message)}`];
    if ('action' in step) return [`action ${String(step.action)}`];
    if ('note' in step) return [`note ${String(step.note)}`];
    if ('alt' in step) {
      const branch = (step.alt as { when?: unknown; steps: StepData[] }[]).find((b) => b.when === undefined || whenHolds(b.when));
      return branch ? walkData(branch.steps, chosen) : [];
    }
    if ('opt' in step) {
      const opt = step.opt as { when?: unknown; steps: StepData[] };
      return opt.when === undefined || whenHolds(opt.when) ? walkData(opt.steps, chosen) : [];
    }
    if ('par' in step) return (step.par as { steps: StepData[] }[]).flatMap((b) => walkData(b.steps, chosen));
    const block = (step.loop ?? step.group) as { steps: StepData[] };
    return walkData(block.steps, chosen);
  });
}

describe('projection, property', () => {
  it('agrees with walking the spec data and keeping the branches whose when holds', () => {
    fc.assert(
      fc.property(scenarioSpec, fc.nat(), (data, pick) => {
        const { flow } = compileGenerated(data).compiled;
        const scenarios = allScenarios(flow);
        const chosen = scenarios[pick % scenarios.length]!;
        const projected = projectFlow(flow, chosen);
        const expected = data.phases.flatMap((p) => walkData(p.steps, Object.fromEntries(chosen)));
        expect(projected.phases.flatMap((p) => leaves(p.steps))).toEqual(expected);
        expect(projected.phases.flatMap((p) => blockKinds(p.steps)).filter((k) => k === 'alt')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('enumeration and presence', () => {
  it('enumerates every combination of values, the first variable slowest', () => {
    const names = allScenarios(TLS).map((s) => [...s].map(([v, x]) => `${v}=${x}`).join(','));
    expect(names).toEqual(
      ['static-dh', 'ephemeral-dh', 'rsa'].flatMap((k) =>
        ['off', 'on'].flatMap((c) => ['client', 'server'].map((closer) => `keyExchange=${k},clientAuth=${c},closer=${closer}`)),
      ),
    );
    expect(allScenarios({ variables: [] })).toEqual([new Map()]);
  });

  it('reports scenarios that draw the same flow once', () => {
    expect(
      groupIdentical(
        TLS,
        allScenarios(TLS).map((scenario) => ({ scenario })),
      ).map((g) => g.sameAs.length),
    ).toEqual(Array(12).fill(0));
    // A variable no branch tests changes nothing: its two values draw the same flow.
    const unused = compile(
      'unused.yaml',
      `protoflow: 1
title: Unused
participants: { a: {}, b: {} }
variables:
  mode: { values: { x: X, y: Y } }
  colour: { values: { red: Red, blue: Blue } }
phases:
  - title: Only
    steps:
      - message: Always
        from: a
        to: b
      - opt:
          when: { mode: x }
          steps:
            - message: Only in x
              from: b
              to: a
`,
    );
    const groups = groupIdentical(
      unused,
      allScenarios(unused).map((scenario) => ({ scenario })),
    );
    expect(groups.map((g) => [g.first, ...g.sameAs].map(({ scenario: s }) => `${s.get('mode')}/${s.get('colour')}`))).toEqual([
      ['x/red', 'x/blue'],
      ['y/red', 'y/blue'],
    ]);
  });

  it('marks each message and action where it happens, in flow order', () => {
    const scenarios = allScenarios(TLS);
    const rows = presenceMatrix(
      TLS,
      scenarios.map((s) => [projectFlow(TLS, s)]),
    );
    const row = (id: string) => rows.find((r) => r.id === id)!;
    const where = (id: string, closer = 'client') =>
      scenarios.filter((s, i) => row(id).present[i] && s.get('closer') === closer).map((s) => `${s.get('keyExchange')}/${s.get('clientAuth')}`);
    expect(where('server-key-exchange')).toEqual(['ephemeral-dh/off', 'ephemeral-dh/on']);
    expect(where('certificate-verify')).toEqual(['static-dh/on', 'ephemeral-dh/on', 'rsa/on']);
    expect(where('client-hello')).toHaveLength(6);
    expect(where('client-hello', 'server')).toHaveLength(6);
    // Who closes first: the client's close_notify first in one half of the columns, the server's in the other.
    expect(where('close-notify')).toHaveLength(6);
    expect(where('close-notify', 'server')).toEqual([]);
    expect(where('server-close-notify', 'server')).toHaveLength(6);
    expect(where('server-close-notify')).toEqual([]);
    // Flow order: every message of the unprojected flow, once, in the order written.
    expect(rows.filter((r) => r.kind === 'message').map((r) => r.id ?? r.label)).toEqual(messagesOf(TLS).map((m) => m.replace('message ', '')));
  });
});

describe('presence, property', () => {
  it('a message is present in a scenario exactly when that scenario projection has it', () => {
    fc.assert(
      fc.property(scenarioSpec, (data) => {
        const { flow } = compileGenerated(data).compiled;
        const scenarios = allScenarios(flow);
        const rows = presenceMatrix(
          flow,
          scenarios.map((s) => [projectFlow(flow, s)]),
        );
        scenarios.forEach((scenario, i) => {
          const expected = data.phases.flatMap((p) => walkData(p.steps, Object.fromEntries(scenario))).filter((l) => !l.startsWith('note '));
          expect(rows.filter((r) => r.present[i]).map((r) => `${r.kind} ${r.label}`)).toEqual(expected);
        });
      }),
      { numRuns: 200 },
    );
  });
});

/** Every message of the spec data with its path, in order. */
function messagePaths(steps: readonly StepData[], path: (string | number)[]): (string | number)[][] {
  return steps.flatMap((step, i): (string | number)[][] => {
    const at = [...path, i];
    if ('message' in step) return [at];
    if ('action' in step || 'note' in step) return [];
    if ('alt' in step) return (step.alt as { steps: StepData[] }[]).flatMap((b, k) => messagePaths(b.steps, [...at, 'alt', k, 'steps']));
    if ('par' in step) return (step.par as { steps: StepData[] }[]).flatMap((b, k) => messagePaths(b.steps, [...at, 'par', k, 'steps']));
    const key = (['opt', 'loop', 'group'] as const).find((k) => k in step)!;
    return messagePaths((step[key] as { steps: StepData[] }).steps, [...at, key, 'steps']);
  });
}

/** The paths of the messages a scenario runs through, found by walking the spec data (first branch whose `when` holds). */
function walkPaths(steps: readonly StepData[], path: (string | number)[], chosen: Record<string, string>): string[] {
  const whenHolds = (when: unknown) =>
    Object.entries((when ?? {}) as Record<string, string[]>).every(([variable, values]) => values.includes(chosen[variable]!));
  return steps.flatMap((step, i): string[] => {
    const at = [...path, i];
    if ('message' in step) return [JSON.stringify(at)];
    if ('action' in step || 'note' in step) return [];
    if ('alt' in step) {
      const branches = step.alt as { when?: unknown; steps: StepData[] }[];
      const k = branches.findIndex((b) => b.when === undefined || whenHolds(b.when));
      return k < 0 ? [] : walkPaths(branches[k]!.steps, [...at, 'alt', k, 'steps'], chosen);
    }
    if ('opt' in step) {
      const opt = step.opt as { when?: unknown; steps: StepData[] };
      return opt.when === undefined || whenHolds(opt.when) ? walkPaths(opt.steps, [...at, 'opt', 'steps'], chosen) : [];
    }
    if ('par' in step) return (step.par as { steps: StepData[] }[]).flatMap((b, k) => walkPaths(b.steps, [...at, 'par', k, 'steps'], chosen));
    return walkPaths((step.loop as { steps: StepData[] }).steps, [...at, 'loop', 'steps'], chosen);
  });
}

/** The scenarios the spec data declares, worked out from the data: its `only` list, else every combination not excluded. */
function declaredFromData(data: {
  scenarios?: { only?: { values: Partial<Record<string, string>> }[]; exclude?: Partial<Record<string, string[]>>[] };
}): Record<string, string>[] {
  const defaults = Object.fromEntries(Object.entries(SCENARIO_VARIABLES).map(([id, values]) => [id, values[0]!]));
  if (data.scenarios?.only) return data.scenarios.only.map((entry) => ({ ...defaults, ...(entry.values as Record<string, string>) }));
  const all = Object.entries(SCENARIO_VARIABLES).reduce<Record<string, string>[]>(
    (acc, [id, values]) => acc.flatMap((s) => values.map((v) => ({ ...s, [id]: v }))),
    [{}],
  );
  const excluded = (s: Record<string, string>) =>
    (data.scenarios?.exclude ?? []).some((w) => Object.entries(w).every(([id, values]) => values!.includes(s[id]!)));
  return all.filter((s) => !excluded(s));
}

describe('unreachable branches, property', () => {
  it('every message occurs in some declared scenario exactly when no enclosing branch is reported never drawn', () => {
    fc.assert(
      fc.property(scenarioSpec, (data) => {
        const { compiled, diagnostics } = compileGenerated(data);
        const reported = new Set(diagnostics.filter((d) => d.code === 'PF312').map((d) => `${d.span!.line}:${d.span!.column}`));
        const reachable = new Set(declaredFromData(data).flatMap((chosen) => walkPaths(data.phases[0]!.steps, ['phases', 0, 'steps'], chosen)));
        const drawn = new Set(
          declaredScenarios(compiled.flow).flatMap(({ scenario }) => projectFlow(compiled.flow, scenario).phases.flatMap((p) => messageSources(p.steps))),
        );
        for (const path of messagePaths(data.phases[0]!.steps, ['phases', 0, 'steps'])) {
          // A branch is the path up to `alt, k`; an opt is the step holding `opt`.
          const branches = path.flatMap((segment, i) =>
            (path[i - 1] === 'alt' && typeof segment === 'number') || segment === 'opt' ? [path.slice(0, segment === 'opt' ? i : i + 1)] : [],
          );
          const underReported = branches.some((b) => {
            const span = compiled.locate(b);
            return reported.has(`${span.line}:${span.column}`);
          });
          const key = JSON.stringify(path);
          expect(drawn.has(key), key).toBe(reachable.has(key));
          expect(underReported, key).toBe(!reachable.has(key));
        }
      }),
      { numRuns: 300 },
    );
  });
});

function messageSources(steps: readonly Step[]): string[] {
  return steps.flatMap((s): string[] => {
    if (s.kind === 'message') return [JSON.stringify(s.source)];
    if (s.kind === 'alt' || s.kind === 'par') return s.branches.flatMap((b) => messageSources(b.steps));
    if (s.kind === 'opt' || s.kind === 'loop' || s.kind === 'group') return messageSources(s.steps);
    return [];
  });
}

describe('declared scenarios and the diagrams enumeration draws', () => {
  const fixture = (name: string) => compile(`test/fixtures/valid/${name}.yaml`, readFileSync(`test/fixtures/valid/${name}.yaml`, 'utf8'));

  it('draws every combination of the TLS spec, named by its values, titled by their labels', () => {
    const drawings = plannedDrawings(TLS);
    expect(drawings.map((d) => d.suffix)).toEqual(
      ['static-dh', 'ephemeral-dh', 'rsa'].flatMap((k) =>
        ['off', 'on'].flatMap((c) => ['client', 'server'].map((closer) => `keyExchange-${k}--clientAuth-${c}--closer-${closer}`)),
      ),
    );
    expect(drawings[11]!.flow.title).toBe('HTTPS with TLS 1.2: Key exchange = RSA, Client authentication = Required, Closes first = The server');
  });

  it('leaves out excluded combinations, and draws scenarios with the same flow once, named for what they share', () => {
    const flow = fixture('scenarios-exclude');
    const drawings = plannedDrawings(flow);
    expect(drawings.map((d) => d.suffix)).toEqual([
      'resumption-full--clientAuth-off--keyExchange-rsa',
      'resumption-full--clientAuth-off--keyExchange-ecdhe',
      'resumption-full--clientAuth-on--keyExchange-rsa',
      'resumption-full--clientAuth-on--keyExchange-ecdhe',
      // resumed with ecdhe is excluded; client authentication makes no difference to a resumed handshake
      'resumption-resumed--keyExchange-rsa',
    ]);
    expect(drawings[4]!.sameAs.map(scenarioText)).toEqual(['resumption=resumed,clientAuth=on,keyExchange=rsa']);
    expect(drawings[4]!.flow.title).toBe('Session resumption: Handshake = Resumed *abbreviated*, Key exchange = RSA');
  });

  it('draws the scenarios of an `only` list, under their titles', () => {
    const flow = fixture('scenarios-only');
    const drawings = plannedDrawings(flow);
    expect(drawings.map((d) => [d.suffix, d.flow.title, d.sameAs.map(scenarioText)])).toEqual([
      ['clientAuth-on--keyExchange-ecdhe', 'Titled scenarios: Mutual TLS', ['clientAuth=on,keyExchange=rsa']],
      ['clientAuth-off--keyExchange-ecdhe', 'Titled scenarios: Server authentication only', []],
    ]);
    // One scenario asked for by its values gets the title the list gives it.
    expect(drawingOf(flow, completeScenario(flow.variables, { clientAuth: 'on' })).flow.title).toBe('Titled scenarios: Mutual TLS');
    expect(drawingOf(flow, completeScenario(flow.variables, { keyExchange: 'rsa' })).flow.title).toBe(
      'Titled scenarios: Client authentication = Not requested, Key exchange = RSA',
    );
  });

  it('marks a merged column wherever any of its scenarios has the step, and draws it under a title from `only` if one has it', () => {
    const flow = compile(
      'same.yaml',
      `protoflow: 1
title: Same
participants: { a: {}, b: {} }
variables:
  k: { values: { x: X, y: Y } }
scenarios:
  only:
    - values: { k: x }
    - title: Why
      values: { k: y }
phases:
  - title: Only
    steps:
      - alt:
          - when: { k: x }
            steps:
              - message: Hello
                from: a
                to: b
          - when: { k: y }
            steps:
              - message: Hello
                from: a
                to: b
`,
    );
    const [drawing, ...rest] = plannedDrawings(flow);
    expect(rest).toEqual([]);
    expect([drawing!.suffix, drawing!.flow.title, drawing!.sameAs.map(scenarioText)]).toEqual(['k-y', 'Same: Why', ['k=x']]);
    const view = matrixView(flow, [drawing!], () => ({ file: 'same.yaml', line: 1, column: 1 }));
    expect(view.rows.map((r) => [r.label, r.present])).toEqual([
      ['Hello', [true]],
      ['Hello', [true]],
    ]);
  });

  it('project, the library function, takes a record, unnamed variables at their default, and reports unknown values', () => {
    expect(project(TLS, { keyExchange: 'rsa' })).toEqual({ value: projectFlow(TLS, scenario('keyExchange=rsa,clientAuth=off')), diagnostics: [] });
    expect(project(TLS, { keyExchange: 'dhe' })).toEqual({
      diagnostics: [{ code: 'PF005', severity: 'error', message: 'unknown value "dhe" for keyExchange; its values are static-dh, ephemeral-dh, rsa' }],
    });
  });
});

describe('numbering', () => {
  const numbered = (numbering: string) =>
    compile('numbered.yaml', readFileSync('test/fixtures/valid/numbering.yaml', 'utf8').replace('numbering: phase', `numbering: ${numbering}`));
  const messagesIn = (steps: readonly Step[]): Extract<Step, { kind: 'message' }>[] =>
    steps.flatMap((step) => (step.kind === 'message' ? [step] : step.kind === 'alt' ? step.branches.flatMap((b) => messagesIn(b.steps)) : []));
  const numbers = (flow: FlowIR) => flow.phases.flatMap((phase) => messagesIn(phase.steps)).map((m) => `${m.number ?? '-'} ${m.label}`);

  it('numbers the full flow, so that a projection keeps each message its number', () => {
    const full = numbered('phase');
    expect(numbers(full)).toEqual(['1.1 ClientHello', '1.2 ServerHello', '2.1 Certificate', '2.1a ServerHelloDone', '2.2 Finished']);
    const resumed = projectFlow(full, completeScenario(full.variables, { resumed: 'resumed' }));
    expect(numbers(resumed)).toEqual(['1.1 ClientHello', '1.2 ServerHello', '2.2 Finished']);
    expect(numbers(numbered('flat'))).toEqual(['1 ClientHello', '2 ServerHello', '3 Certificate', '2.1a ServerHelloDone', '4 Finished']);
    // Without numbering only the number written is drawn.
    expect(numbers(numbered('none'))).toEqual(['- ClientHello', '- ServerHello', '- Certificate', '2.1a ServerHelloDone', '- Finished']);
  });

  it('draws the number in every target and in the presence matrix', () => {
    const full = numbered('phase');
    // PlantUML's text has its characters as entities: read back.
    const decoded = (text: string) => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
    for (const target of TARGETS) expect(decoded(generate(target, full).value!), target.name).toContain('2.1a ServerHelloDone');
    const rows = presenceMatrix(full, [[full]]).map((row) => row.label);
    expect(rows).toContain('2.2 Finished');
  });
});

describe('projection of the second round of step kinds', () => {
  const flow = compile(
    'round2.yaml',
    `protoflow: 1
participants: { a: {}, b: {} }
variables:
  pay: { values: { card: Card, cash: Cash } }
steps:
  - critical:
      label: Commit
      steps:
        - opt:
            when: { pay: card }
            steps:
              - message: Capture
                from: a
                to: b
                note: Once only
  - delay: later
  - message: Receipt
    from: b
    to: a
    arrow: lost
`,
  );
  it('keeps a critical block, a delay and a message note where they happen, and drops an emptied block', () => {
    const card = projectFlow(flow, completeScenario(flow.variables, { pay: 'card' }));
    const cash = projectFlow(flow, completeScenario(flow.variables, { pay: 'cash' }));
    expect(leaves(card.phases[0]!.steps)).toEqual(['message Capture', 'delay later', 'message Receipt']);
    expect(card.phases[0]!.steps[0]!.kind).toBe('critical');
    expect(leaves(cash.phases[0]!.steps)).toEqual(['delay later', 'message Receipt']);
    expect(cash.phases[0]!.steps.map((s) => s.kind)).toEqual(['delay', 'message']);
  });
});

describe('break', () => {
  const flow = compile('break.yaml', readFileSync('test/fixtures/valid/break.yaml', 'utf8'));
  const inScenario = (values: Record<string, string>) => projectFlow(flow, completeScenario(flow.variables, values));

  it('ends the flow where a break happens: later steps and phases are dropped', () => {
    const refused = inScenario({ consent: 'refused' });
    expect(refused.phases.map((p) => p.title)).toEqual(['Authorization']);
    expect(refused.phases.flatMap((p) => leaves(p.steps))).toEqual(['message Sign in', 'message Redirect', 'message error=access_denied']);
    // Kept as a break that surely happens (an empty condition), so its label is still drawn.
    const kept = refused.phases[0]!.steps.at(-1)!;
    expect(kept).toMatchObject({ kind: 'break', label: 'access_denied', condition: [] });
    const given = inScenario({ consent: 'given', mfa: 'on' });
    expect(given.phases.flatMap((p) => leaves(p.steps))).toEqual([
      'message Sign in',
      'message Redirect',
      'message Timeout',
      'message Ask for a code',
      'message Set-Cookie',
      'action Log the sign-in',
    ]);
    // A break without a condition may or may not happen: it stays, and the flow goes on.
    expect(given.phases[0]!.steps.map((s) => s.kind)).toEqual(['message', 'message', 'break', 'message']);
  });

  it('drops what follows out of enclosing blocks, and the presence matrix shows it', () => {
    const nested = compile(
      'nested-break.yaml',
      `protoflow: 1
participants: { a: {}, b: {} }
variables:
  fail: { values: { no: No, yes: Yes } }
steps:
  - loop:
      label: Each chunk
      steps:
        - message: Chunk
          from: a
          to: b
        - group:
            label: Check
            steps:
              - break:
                  label: Abort
                  when: { fail: yes }
                  steps:
                    - message: Abort
                      from: b
                      to: a
        - message: Ack
          from: b
          to: a
  - message: Done
    from: a
    to: b
`,
    );
    const failed = projectFlow(nested, completeScenario(nested.variables, { fail: 'yes' }));
    expect(failed.phases.flatMap((p) => leaves(p.steps))).toEqual(['message Chunk', 'message Abort']);
    const rows = presenceMatrix(nested, [[projectFlow(nested, completeScenario(nested.variables, { fail: 'no' }))], [failed]]);
    expect(rows.map((row) => `${row.label} ${row.present.map((p) => (p ? 'x' : '-')).join('')}`)).toEqual(['Chunk xx', 'Abort -x', 'Ack x-', 'Done x-']);
  });
});

describe('lifelines in the sequence view', () => {
  const specs = [
    'test/fixtures/valid/activations.yaml',
    'test/fixtures/valid/create-destroy.yaml',
    'test/fixtures/valid/break.yaml',
    'specs/oauth-device-flow.yaml',
  ].map((file) => compile(file, readFileSync(file, 'utf8')));

  it('ends only bars that are open, and every bar, in the full diagram and in every scenario', () => {
    for (const full of specs) {
      const drawings = [full, ...declaredScenarios(full).map(({ scenario }) => projectFlow(full, scenario))];
      for (const flow of drawings) {
        const open = new Map<number, number>();
        const end = (at: number) => {
          expect(open.get(at) ?? 0, `${flow.title}: a bar of P${at} ended`).toBeGreaterThan(0);
          open.set(at, open.get(at)! - 1);
        };
        for (const event of sequenceView(flow).events) {
          if (event.kind === 'message' && event.deactivates) end(event.from);
          if (event.kind === 'message' && event.activates) open.set(event.to, (open.get(event.to) ?? 0) + 1);
          if (event.kind === 'deactivate') end(event.at);
        }
        expect(
          [...open.values()].every((count) => count === 0),
          flow.title,
        ).toBe(true);
      }
    }
  });

  it('creates and destroys a participant once in the full diagram, where it first happens, and keeps destroy steps in projections', () => {
    const full = specs[1]!;
    const events = sequenceView(full).events;
    expect(events.filter((e) => e.kind === 'message' && e.creates).map((e) => e.kind === 'message' && e.title)).toEqual(['Spawn', 'Open the log']);
    // Worker's destroys are in branches of an alt (the flow may go on past the first): marked, and its lifeline goes on; the log ends at its last message.
    expect(
      events.flatMap((e) => (e.kind === 'message' && e.destroys ? [`${e.title} ends P${e.destroys}`] : e.kind === 'destroy' ? [`P${e.at} marked`] : [])),
    ).toEqual(['P4 marked', 'P4 marked', 'Close the log ends P3']);
    const failed = projectFlow(full, completeScenario(full.variables, { outcome: 'failed' }));
    expect(failed.phases.flatMap((p) => leaves(p.steps))).toEqual([
      'message Submit a job',
      'message Spawn',
      'message Open the log',
      'action Crashes',
      'destroy worker',
      'message Close the log',
      'destroy audit',
      'message Job finished',
    ]);
  });
});
