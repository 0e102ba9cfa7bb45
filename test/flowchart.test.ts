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
import { FLOW_TEXT_COLUMNS, flowchartView, MAX_LANES, wrapLines } from '../src/views/flowchart.js';
import { project } from '../src/scenarios/projection.js';
import { wrapText } from '../src/views/wrap.js';
import stringWidth from 'string-width';
import { spec } from './support/arbitraries.js';
import { parseMermaid } from './support/mermaid.js';
import { renderPlantUml } from './support/plantuml.js';
import { HOST } from './support/host.js';
import { svgViewBox } from './support/images.js';

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
    // The second branch starts afresh below the first, in lane 3 (c). Its label has no node before
    // its block: it is a box of its own there, not in the lane the first branch ended in.
    expect(activity).toMatch(/-\[hidden\]->\n\s*\|L3\|\n\s*start\n\s*\|L3\|\n\s*:<&comment-square> Second;/);
  });
});

describe('flowcharts for a wiki column', () => {
  it('every bundled Mermaid flowchart in out/ shows its lanes left to right in the order the participants are declared', () => {
    const drawn = readdirSync('out').filter((f) => f.endsWith('.flowchart.mmd.svg'));
    expect(drawn.length).toBeGreaterThan(50);
    const outOfOrder = drawn.filter((file) => {
      const svg = readFileSync(join('out', file), 'utf8');
      // Each lane's box, by its subgraph id (L1 is the first participant's lane), and where it starts.
      const lanes = [...svg.matchAll(/<g class="cluster[^"]*" id="[^"]*-L(\d+)"[^>]*>\s*<rect[^>]*?x="([-\d.]+)"/g)].map((m) => ({
        lane: Number(m[1]),
        x: Number(m[2]),
      }));
      const order = lanes.sort((a, b) => a.x - b.x).map((l) => l.lane);
      return lanes.length === 0 || order.some((lane, i) => i > 0 && lane < order[i - 1]!);
    });
    expect(outOfOrder).toEqual([]);
  });

  it('every bundled flowchart and activity SVG in out/ (current: CI checks it) is at most 1,800 px wide', () => {
    const drawn = readdirSync('out').filter((f) => f.endsWith('.flowchart.mmd.svg') || f.endsWith('.activity.puml.svg'));
    expect(drawn.length).toBeGreaterThan(50);
    const wide = drawn.filter((f) => svgViewBox(readFileSync(join('out', f), 'utf8'))!.width > 1800);
    expect(wide).toEqual([]);
  });

  it('wraps a line between words at FLOW_TEXT_COLUMNS, changing nothing but which spaces break, when no word is too long', () => {
    const words = fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('e\u0301', 'ü', '漢字', 'a\u00a0b', '')), { maxLength: 30 });
    fc.assert(
      fc.property(words, (parts) => {
        const line = parts.join(' ').replace(/[\r\n\u0085\u2028\u2029]/g, '');
        const wrapped = wrapLines(line);
        expect(wrapped.replaceAll('\n', ' ')).toBe(line);
        for (const shown of wrapped.split('\n')) expect(stringWidth(shown)).toBeLessThanOrEqual(FLOW_TEXT_COLUMNS);
      }),
      { numRuns: 500 },
    );
  });

  it('cuts a word wider than a node after punctuation in its second half, else between graphemes: it would widen its whole lane', () => {
    expect(wrapLines('grant_type=urn:ietf:params:oauth:grant-type:device_code').split('\n')).toEqual([
      'grant_type=urn:ietf:',
      'params:oauth:grant-',
      'type:device_code',
    ]);
    expect(wrapLines('/device_authorization_endpoint')).toBe('/device_authorization_\nendpoint');
    expect(wrapLines('Supercalifragilisticexpialidocious words')).toBe('Supercalifragilisticex\npialidocious words');
    // Earlier, when the rest then fits on one line: no line of a lone full stop.
    expect(wrapLines('case-insensitive.', 16)).toBe('case-\ninsensitive.');
  });

  it('cuts a word too long for a line between graphemes when asked (ladders, flowcharts), keeping every character as written', () => {
    const words = fc.array(
      fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.constantFrom('e\u0301e\u0301e\u0301', '漢字漢字漢字', '👩‍👩‍👧‍👦👩‍👩‍👧‍👦', 'urn:ietf:params:oauth:x_y', '/a/b/c', ''),
      ),
      {
        maxLength: 20,
      },
    );
    fc.assert(
      fc.property(words, fc.integer({ min: 2, max: 30 }), fc.boolean(), (parts, columns, cutAfter) => {
        const line = parts.join(' ').replace(/[\r\n\u0085\u2028\u2029]/g, '');
        const lines = wrapText(line, columns, { cut: true, ...(cutAfter ? { cutAfter: '/:=_-' } : {}) });
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

  const variants = (extra = '') =>
    compileSpec(
      {
        name: 'variants.yaml',
        text: `protoflow: 1
participants: { c: {}, s: {} }
variables:
  mode: { values: { a: A, b: B } }
  early: { values: { off: Off, on: On } }
steps:
  - alt:
      - when: { mode: a }
        steps: [{ message: Hello, from: c, to: s, fields: [plain] }]
      - when: { mode: b, early: off }
        steps: [{ action: derive, by: c }, { message: Hello, from: c, to: s, fields: [with a ticket] }]
      - when: { mode: b, early: on }
        steps: [{ message: Hello, from: c, to: s, fields: [with a ticket, early data] }]${extra}
  - { message: Reply, from: s, to: c }
`,
      },
      HOST.cwd,
    ).value!.flow;
  const nodes = (flow: FlowIR, shape: string) => flowchartView(flow).lanes.flatMap((l) => l.phases.flatMap((p) => p.nodes.filter((n) => n.shape === shape)));

  it('draws the receipt of a message every alternative ends with once, after they join: its variants differ only in fields', () => {
    const flow = variants();
    expect(nodes(flow, 'send').map((n) => n.details)).toEqual([['plain'], ['with a ticket'], ['with a ticket', 'early data'], []]);
    expect(
      nodes(flow, 'receive')
        .map((n) => n.text)
        .sort(),
    ).toEqual(['Hello', 'Reply']);
    const view = flowchartView(flow);
    const hello = nodes(flow, 'receive').find((n) => n.text === 'Hello')!;
    expect(view.edges.filter((e) => e.to === hello.id).map((e) => e.kind)).toEqual(['message', 'message', 'message']);
    // In the activity order the receipt follows the end of the block.
    const order = view.activity.map((e) => (e.kind === 'node' ? e.node.shape : e.kind));
    expect(order.slice(order.indexOf('endIf'), order.indexOf('endIf') + 2)).toEqual(['endIf', 'receive']);
    for (const target of [mermaidFlowchart, plantumlActivity]) expect(generate(target, flow).diagnostics).toEqual([]);
  });

  it('keeps a receipt in each alternative when the alternatives may all be skipped, or end differently', () => {
    const open = compileSpec(
      {
        name: 'open.yaml',
        text: `protoflow: 1
participants: { c: {}, s: {} }
variables: { mode: { values: { a: A, b: B, c: C } } }
steps:
  - alt:
      - when: { mode: a }
        steps: [{ message: Hello, from: c, to: s }]
      - when: { mode: b }
        steps: [{ message: Hello, from: c, to: s }]
`,
      },
      HOST.cwd,
    ).value!.flow;
    expect(nodes(open, 'receive')).toHaveLength(2);
    expect(flowchartView(open).edges.some((e) => e.kind === 'otherwise')).toBe(true);
    const endsDifferently = variants(`
      - when: { mode: a }
        steps: [{ message: Goodbye, from: c, to: s }]`);
    expect(
      nodes(endsDifferently, 'receive')
        .map((n) => n.text)
        .sort(),
    ).toEqual(['Goodbye', 'Hello', 'Hello', 'Hello', 'Reply']);
  });

  it("knows alternatives over two variables cover every scenario the spec's exclusions leave: no 'otherwise' path", () => {
    const covered = compileSpec(
      {
        name: 'covered.yaml',
        text: `protoflow: 1
participants: { c: {}, s: {} }
variables:
  mode: { values: { a: A, b: B } }
  early: { values: { off: Off, on: On } }
scenarios: { exclude: [{ mode: a, early: on }] }
steps:
  - alt:
      - when: { mode: a, early: off }
        steps: [{ action: one, by: c }]
      - when: { mode: b }
        steps: [{ action: two, by: c }]
`,
      },
      HOST.cwd,
    ).value!.flow;
    expect(flowchartView(covered).edges.some((e) => e.kind === 'otherwise')).toBe(false);
    const uncovered = { ...covered, scenarios: { ...covered.scenarios, exclude: [] } };
    expect(flowchartView(uncovered).edges.some((e) => e.kind === 'otherwise')).toBe(true);
  });

  it('leaves out the lane of a participant a scenario does not involve, and names the group in each member lane', () => {
    const flow = compile('specs/oauth-device-flow.yaml');
    const scenario = project(flow, { outcome: 'denied', entry: 'typed', slowDowns: '0' }).value!;
    const view = flowchartView(scenario, { flowchartLanes: 'participants' });
    expect(view.lanes.map((l) => l.label)).not.toContain('Protected resource');
    for (const lane of view.lanes) expect(lane.phases.length).toBeGreaterThan(0);
    const tokenEndpoint = view.lanes.find((l) => l.label === 'Token endpoint');
    expect(tokenEndpoint?.group).toBe('Authorization server');
  });

  it(`gives each group one lane past ${MAX_LANES} participants, its members' nodes naming them; by choice too`, () => {
    const flow = compile('specs/oauth-device-flow.yaml');
    expect(flow.participants.length).toBeGreaterThan(MAX_LANES);
    const byGroup = flowchartView(flow);
    expect(byGroup.lanes.map((l) => [l.label, l.group])).toEqual([
      ['User', undefined],
      ["User's devices", undefined],
      ['Authorization server', undefined],
      ['Protected resource', undefined],
    ]);
    const inLanes = byGroup.lanes.map((lane) => lane.phases.flatMap((p) => p.nodes).filter((n) => n.shape === 'send' || n.shape === 'receive'));
    // The User and the protected resource have lanes of their own: their nodes need no name.
    expect(inLanes[0]!.every((n) => n.by === undefined)).toBe(true);
    expect(new Set(inLanes[1]!.map((n) => n.by))).toEqual(new Set(['Device client', 'Browser on phone or\ncomputer']));
    expect(new Set(inLanes[2]!.map((n) => n.by))).toEqual(new Set(['Device authorization\nendpoint', 'Verification page', 'Token endpoint']));
    expect(flowchartView(flow, { flowchartLanes: 'participants' }).lanes).toHaveLength(flow.participants.length);
    const tls = compile('specs/https-tls12.yaml');
    expect(flowchartView(tls, { flowchartLanes: 'groups' }).lanes).toHaveLength(tls.participants.length);
    for (const target of [mermaidFlowchart, plantumlActivity]) {
      const source = generate(target, flow).value!;
      expect(source).toMatch(target === mermaidFlowchart ? /Device client:\n\s*Send 1\.1 POST/ : /:\/\/Device client\/\/\\nSend \*\*1&#46;1 POST\*\*/);
    }
  });

  it('draws the branches of an alt or a par one below the other: an order edge from where one ends to where the next begins', () => {
    const flow = variants();
    const view = flowchartView(flow);
    const decision = [...view.lanes.flatMap((l) => l.phases.flatMap((p) => p.nodes))].find((n) => n.shape === 'decision')!;
    const starts = view.edges.filter((e) => e.from === decision.id && e.kind !== 'note').map((e) => e.to);
    const order = view.edges.filter((e) => e.kind === 'order');
    // Each branch after the first is entered from the end of the one before it, and only by that.
    expect(order.map((e) => e.to)).toEqual(starts.slice(1));
    for (const edge of order) expect(view.edges.some((e) => e.to === edge.from && e.kind !== 'order')).toBe(true);
    expect(generate(mermaidFlowchart, flow).value!).toMatch(/n\d+ ~~~ n\d+/);
  });

  it('anchors each branch of an activity decision in its lane, so that vertical ifs keep their arrows; not after a break', async () => {
    const flow = compileSpec(
      {
        name: 'anchors.yaml',
        text: `protoflow: 1
participants: { a: {}, b: {} }
variables: { v: { values: { x: X, y: Y } } }
steps:
  - message: Hello
    from: a
    to: b
  - alt:
      - when: { v: x }
        steps:
          - message: Yes
            from: a
            to: b
      - when: { v: y }
        steps:
          - message: No
            from: a
            to: b
  - break:
      label: Gone
      steps:
        - message: Bye
          from: b
          to: a
  - message: Done
    from: a
    to: b
`,
      },
      HOST.cwd,
    ).value!.flow;
    const activity = generate(plantumlActivity, flow).value!;
    expect(activity).toContain('!pragma useVerticalIf on');
    // The decision is in b's lane (L2), where Hello was received: each branch begins and ends there.
    expect(activity).toMatch(
      /\|L2\|\n\s*if \(v\) then \(v &#61; X\)\n\s*\|L2\|\n\s*label (n\d+)\n[\s\S]*\|L2\|\n\s*label \1\n\s*elseif \(\) then \(v &#61; Y\)\n\s*\|L2\|\n\s*label \1\n[\s\S]*\|L2\|\n\s*label \1\n\s*endif/,
    );
    // A break's branch ends the flow: no anchor leads from its stop to the join.
    expect(activity).toMatch(/stop\n\s*else \(no\)/);
    const [drawn] = await renderPlantUml([activity]);
    expect(drawn?.ok, drawn?.error).toBe(true);
  });

  it("labels an else branch's first arrow, which vertical ifs draw beside the branch; an empty branch keeps its label on the else", async () => {
    const flow = compileSpec(
      {
        name: 'otherwise.yaml',
        text: `protoflow: 1
participants: { a: {}, b: {}, c: {} }
variables: { v: { values: { x: X, y: Y } } }
steps:
  - message: Hello
    from: a
    to: b
  - alt:
      - when: { v: x }
        steps:
          - message: Yes
            from: b
            to: a
      - steps:
          - action: Waits
            by: c
  - opt:
      label: Late
      steps:
        - message: Bye
          from: b
          to: a
  - alt:
      - when: { v: x }
        steps:
          - message: Again
            from: a
            to: b
      - steps:
          - delay: a minute later
          - message: Timeout
            from: b
            to: a
`,
      },
      HOST.cwd,
    ).value!.flow;
    const activity = generate(plantumlActivity, flow).value!;
    // The else branch starts in c's lane, away from the decision (in b's, L2): its label goes on
    // the arrow that leaves the decision's lane, not on the else, which PlantUML would draw by c's step.
    expect(activity).toMatch(/\n\s*else\n\s*\|L2\|\n\s*label n\d+\n\s*-> otherwise;\n\s*\|L3\|\n\s*:Waits;/);
    // A branch that opens with a delay has the delay's label on its first arrow: the outcome stays on the else.
    expect(activity).toMatch(/\n\s*else \(otherwise\)\n\s*\|L\d\|\n\s*label n\d+\n\s*-\[dashed\]-> a minute later;/);
    // An opt not taken has no step to lead to: the label stays on the else.
    expect(activity).toMatch(/\n\s*else \(no\)\n\s*\|L3\|\n\s*label (n\d+)\n\s*\|L3\|\n\s*label \1\n\s*endif/);
    const [drawn] = await renderPlantUml([activity]);
    expect(drawn?.ok, drawn?.error).toBe(true);
    // Every label is drawn: PlantUML keeps one label of two arrows in a row.
    expect(drawn!.texts.filter((t) => ['otherwise', 'no', 'a minute later'].includes(t)).sort()).toEqual(['a minute later', 'no', 'otherwise', 'otherwise']);
  });
});
