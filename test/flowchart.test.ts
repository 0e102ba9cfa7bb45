import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { FlowIR, Step } from '../src/ir/types.js';
import { compileSpec } from '../src/compile/load-spec.js';
import { generate } from '../src/targets/generate.js';
import { mermaidFlowchart } from '../src/targets/mermaid-flowchart.js';
import { plantumlActivity } from '../src/targets/plantuml-activity.js';
import { FLOW_TEXT_COLUMNS, flowchartView, wrapLines } from '../src/views/flowchart.js';
import { project } from '../src/scenarios/projection.js';
import { wrapText } from '../src/views/wrap.js';
import stringWidth from 'string-width';
import { spec } from './support/arbitraries.js';
import { parseMermaid } from './support/mermaid.js';
import { renderPlantUml } from './support/plantuml.js';
import { HOST } from './support/host.js';

/** Every message, action, note and branch label of a flow: what its flowcharts must show. */
function labelsOf(steps: readonly Step[]): string[] {
  return steps
    .flatMap((s): string[] => {
      switch (s.kind) {
        case 'message':
          return [s.code === undefined ? s.label : `${s.label} (${s.code})`];
        case 'action':
          return [s.label];
        case 'note':
          return [s.text];
        case 'alt':
          return s.branches.flatMap((b) => [b.label, ...labelsOf(b.steps)]);
        case 'par':
          return s.branches.flatMap((b) => [b.label, ...labelsOf(b.steps)]);
        case 'opt':
        case 'loop':
        case 'group':
        case 'critical':
        case 'break':
          return [s.label, ...labelsOf(s.steps)];
        case 'ref':
          return [s.label];
        case 'delay':
          return [s.text];
        case 'destroy':
          return [];
      }
    })
    .filter((label) => label !== '');
}

const drawn = (text: string) => text.replace(/\s+/g, '');

async function expectLabelsShown(flows: readonly FlowIR[]): Promise<void> {
  const rendered = await renderPlantUml(flows.map((flow) => generate(plantumlActivity, flow).value!));
  for (const [i, flow] of flows.entries()) {
    const labels = flow.phases.flatMap((p) => labelsOf(p.steps));
    const activity = rendered[i]!;
    expect(activity.error).toBeUndefined();
    const activityText = drawn(activity.texts.join(''));
    const mermaid = await parseMermaid(generate(mermaidFlowchart, flow).value!);
    expect(mermaid.error).toBeUndefined();
    const mermaidText = mermaid.texts.map(drawn);
    for (const label of labels) {
      for (const line of label.split('\n')) expect(activityText, `activity: ${JSON.stringify(label)}`).toContain(drawn(line));
      expect(
        mermaidText.some((t) => t.includes(drawn(label))),
        `flowchart: ${JSON.stringify(label)}`,
      ).toBe(true);
    }
  }
}

function compile(path: string): FlowIR {
  const result = compileSpec({ name: path, text: readFileSync(path, 'utf8') }, HOST.cwd);
  expect(result.diagnostics).toEqual([]);
  return result.value!.flow;
}

const bundled = readdirSync('specs')
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => join('specs', f));

describe('flowcharts show every message, action, note and branch label', () => {
  it('of every bundled spec', async () => {
    expect(bundled.length).toBeGreaterThanOrEqual(3);
    await expectLabelsShown(bundled.map(compile));
  });

  it('of random specs', async () => {
    const flows = fc.sample(spec, { numRuns: 60, seed: 3 }).map((input) => {
      const result = compileSpec({ name: 'random.yaml', text: stringify(input) }, HOST.cwd);
      // Random nesting can leave a branch no scenario takes (warning PF312); never an error.
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      return result.value!.flow;
    });
    await expectLabelsShown(flows);
  });
});

describe('flowchart view', () => {
  const flow = compile('specs/https-tls12.yaml');
  const view = flowchartView(flow);
  const byId = new Map(view.lanes.flatMap((l) => l.phases.flatMap((p) => p.nodes)).map((n) => [n.id, n]));
  /** A text as the author wrote it, before the view wrapped it. */
  const unwrapped = (text: string) => text.replaceAll('\n', ' ');
  const sendOf = (text: string) => [...byId.values()].find((n) => n.shape === 'send' && unwrapped(n.text) === text)!;

  it('draws a message as a send in the sender lane and a receive in the receiver lane, joined by a message edge', () => {
    const sends = [...byId.values()].filter((n) => n.shape === 'send' && n.text === 'Client Hello (1)');
    const receives = [...byId.values()].filter((n) => n.shape === 'receive' && n.text === 'Client Hello (1)');
    expect(sends.map((n) => n.lane)).toEqual([1]);
    expect(receives.map((n) => n.lane)).toEqual([2]);
    expect(view.edges).toContainEqual({ from: sends[0]!.id, to: receives[0]!.id, kind: 'message', label: '' });
  });

  it('turns every alt into a decision whose edges carry the branch labels; exhaustive alts have no otherwise edge', () => {
    const decisions = [...byId.values()].filter((n) => n.shape === 'decision' && n.text === 'Key exchange');
    expect(decisions).toHaveLength(2);
    const first = view.edges.filter((e) => e.from === decisions[0]!.id);
    expect(first.map((e) => unwrapped(e.label))).toEqual([
      'Static Diffie-Hellman-based key exchange (DH/ECDH)',
      'Ephemeral Diffie-Hellman-based key exchange (DHE/ECDHE/X25519)',
      'RSA key exchange',
    ]);
    expect(first.every((e) => e.kind === 'branch')).toBe(true);
  });

  it('gives an opt a yes and a no edge, and both paths join at the next step', () => {
    const request = sendOf('Certificate Request (13)');
    const optDecision = view.edges.find((e) => e.to === request.id && e.kind === 'yes');
    expect(optDecision).toBeDefined();
    const done = sendOf('Server Hello Done (14)');
    const intoDone = view.edges.filter((e) => e.to === done.id).map((e) => e.kind);
    expect(intoDone.sort()).toEqual(['flow', 'no']);
  });

  it('adds an otherwise edge to an alt that does not cover every value', () => {
    const partial = compileSpec(
      {
        name: 'partial.yaml',
        text: `protoflow: 1
title: Partial
participants: { a: {}, b: {} }
variables: { mode: { values: { x: X, y: Y } } }
phases:
  - title: P
    steps:
      - alt:
          - when: { mode: x }
            steps: [{ action: only for x, by: a }]
      - action: after
        by: b
`,
      },
      HOST.cwd,
    ).value!.flow;
    const v = flowchartView(partial);
    const decision = v.lanes.flatMap((l) => l.phases.flatMap((p) => p.nodes)).find((n) => n.shape === 'decision')!;
    expect(v.edges.filter((e) => e.from === decision.id).map((e) => e.kind)).toEqual(['branch', 'otherwise']);
  });

  it('sends a loop back to the first node of its body, not to a note before it', () => {
    const looped = compileSpec(
      {
        name: 'loop.yaml',
        text: `protoflow: 1
title: Loop
participants: { a: {} }
phases:
  - title: P
    steps:
      - loop:
          label: until done
          steps:
            - note: first a note
              at: a
            - action: work
              by: a
`,
      },
      HOST.cwd,
    ).value!.flow;
    const v = flowchartView(looped);
    const nodes = v.lanes.flatMap((l) => l.phases.flatMap((p) => p.nodes));
    const again = v.edges.find((e) => e.kind === 'again')!;
    expect(nodes.find((n) => n.id === again.to)!.text).toBe('work');
    expect(nodes.find((n) => n.id === again.from)!.shape).toBe('loop');
  });

  it('ties a note to the node before it, or to the decision that opens its branch, and can leave notes out', () => {
    const note = [...byId.values()].find((n) => n.shape === 'note' && unwrapped(n.text).startsWith('No Server Key Exchange'))!;
    const tie = view.edges.find((e) => e.from === note.id)!;
    expect(tie.kind).toBe('note');
    expect(byId.get(tie.to)!.shape).toBe('decision');
    expect([...flowchartView(flow, { flowchartNotes: false }).lanes.flatMap((l) => l.phases.flatMap((p) => p.nodes))].some((n) => n.shape === 'note')).toBe(
      false,
    );
  });

  it("draws a par branch's label in the lane where the branch starts, also when it opens with a block", () => {
    const spec = `protoflow: 1
participants: { a: {}, b: {}, c: {} }
variables:
  v: { values: { x: X, y: Y } }
steps:
  - message: Start
    from: a
    to: b
  - par:
      - label: First
        steps:
          - message: One
            from: b
            to: a
      - label: Second
        steps:
          - alt:
              - when: { v: x }
                steps:
                  - message: Two
                    from: c
                    to: a
`;
    const parallel = compileSpec({ name: 'par.yaml', text: spec }, HOST.cwd).value!.flow;
    const activity = generate(plantumlActivity, parallel).value!;
    // The second label has no node before its block: it is a box of its own, in lane 3 (c), not in the lane the first branch ended in.
    expect(activity).toMatch(/fork again\n\s*\|L3\|\n\s*:<&comment-square> Second;/);
  });
});

describe('flowcharts for a wiki column', () => {
  it('wraps a line between words at FLOW_TEXT_COLUMNS, changing nothing but which spaces break', () => {
    const words = fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('e\u0301', 'ü', '漢字', 'a\u00a0b', '')), { maxLength: 30 });
    fc.assert(
      fc.property(words, (parts) => {
        const line = parts.join(' ').replace(/[\r\n\u0085\u2028\u2029]/g, '');
        const wrapped = wrapLines(line);
        expect(wrapped.replaceAll('\n', ' ')).toBe(line);
        for (const shown of wrapped.split('\n')) {
          if (stringWidth(shown) > FLOW_TEXT_COLUMNS) expect(shown.trimStart()).not.toContain(' ');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('cuts a word too long for a line between graphemes when asked (the text ladders), keeping every character as written', () => {
    const words = fc.array(fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('e\u0301e\u0301e\u0301', '漢字漢字漢字', '👩‍👩‍👧‍👦👩‍👩‍👧‍👦', '')), {
      maxLength: 20,
    });
    fc.assert(
      fc.property(words, fc.integer({ min: 2, max: 30 }), (parts, columns) => {
        const line = parts.join(' ').replace(/[\r\n\u0085\u2028\u2029]/g, '');
        const lines = wrapText(line, columns, { cut: true });
        expect(lines.join('').replaceAll(' ', '')).toBe(line.replaceAll(' ', ''));
        for (const shown of lines) expect(stringWidth(shown)).toBeLessThanOrEqual(columns);
      }),
      { numRuns: 500 },
    );
  });

  it("puts every node in a lane: start in the first acting participant's, a phase's title and a decision in the lane the flow is in", () => {
    const flow = compileSpec(
      {
        name: 'lanes.yaml',
        text: `protoflow: 1
participants: { a: {}, b: {} }
variables: { v: { values: { x: X, y: Y } } }
phases:
  - title: First
    steps:
      - { action: begin, by: b }
      - alt:
          - when: { v: x }
            steps: [{ action: only x, by: a }]
          - when: { v: y }
            steps: [{ action: only y, by: b }]
  - title: Second
    steps: [{ action: end, by: a }]
`,
      },
      HOST.cwd,
    ).value!.flow;
    const view = flowchartView(flow);
    const lane = (shape: string, text?: string) =>
      view.lanes.filter((l) => l.phases.some((p) => p.nodes.some((n) => n.shape === shape && (text === undefined || n.text === text)))).map((l) => l.label);
    expect(lane('start')).toEqual(['b']);
    expect(lane('phase', 'First')).toEqual(['b']);
    expect(lane('decision')).toEqual(['b']);
    // After the alt the flow was last in b's lane (its last branch).
    expect(lane('phase', 'Second')).toEqual(['b']);
  });

  it('leaves out the lane of a participant a scenario does not involve, and boxes a group around the members left', () => {
    const flow = compile('specs/oauth-device-flow.yaml');
    const scenario = project(flow, { outcome: 'denied', entry: 'typed', slowDowns: '0' }).value!;
    const view = flowchartView(scenario);
    expect(view.lanes.map((l) => l.label)).not.toContain('Protected resource');
    expect(view.lanes.filter((l) => l.opens).length).toBe(view.lanes.filter((l) => l.closes).length);
    for (const lane of view.lanes) expect(lane.phases.length).toBeGreaterThan(0);
  });
});
