import type { Branch, ColorName, FlowIR, Message, ParticipantKind, Step, Variable } from '../ir/types.js';
import { drawnSteps, participantsOf } from '../ir/steps.js';
import { messageTitle } from './message-title.js';
import type { ViewOptions } from './options.js';
import { wrapText } from './wrap.js';
import { allScenarios } from '../scenarios/enumerate.js';
import { holds } from '../scenarios/scenario.js';

/**
 * The flowchart view: the IR as a control-flow graph with one lane per participant. A message
 * becomes a "send" node in the sender's lane and a "receive" node in the receiver's; actions are
 * nodes in their lane; alternatives and optional blocks are decision nodes whose outgoing edges
 * carry the branch labels and join again at the step after the block.
 *
 * Two shapes of the same graph are offered: `nodes`/`edges` (grouped by lane and phase) for
 * graph languages, and `activity`, the same nodes in block-structured order, for languages with
 * if/else blocks and swimlanes. Words such as "Send" or "yes" are left to the templates.
 */
export interface FlowchartView {
  title: string;
  /** Every node is in a lane: one of no participant (start, a decision, a phase's title) in the lane the flow is in. */
  lanes: FlowLane[];
  edges: FlowEdge[];
  activity: ActivityEvent[];
}

export interface FlowLane {
  index: number;
  label: string;
  kind: ParticipantKind;
  /** The participant's colour, else its group's. */
  color?: ColorName;
  /**
   * The label of the participant's group, drawn in the lane's title. Not a box around the members'
   * lanes: in Mermaid's layout such a box overlapped other lanes and widened the drawing.
   */
  group?: string;
  /** The lane's nodes, grouped by the phase they belong to (phases without nodes here are left out). */
  phases: { index: number; title: string; nodes: FlowNode[] }[];
}

export type NodeShape =
  | 'start'
  | 'end'
  | 'action'
  | 'send'
  | 'receive'
  | 'decision'
  | 'loop'
  | 'fork'
  | 'join'
  /** A phase begins: the flow passes through its title (graph languages only; activity diagrams have partitions). */
  | 'phase'
  | 'note'
  /** A group's label, tied to the group's first node (graph languages have no box across lanes). */
  | 'group'
  /** An included flow drawn as one node (in the lane of the first participant it involves). */
  | 'ref'
  /** A participant's lifeline ends (in its lane). */
  | 'destroy';

export interface FlowNode {
  /** Unique within the diagram, safe in any target: `n1`, `n2`, … */
  id: string;
  shape: NodeShape;
  /** Participant position, or 0 for nodes outside the lanes. */
  lane: number;
  /** The author's text: a message's title with its code, an action, a note, a decision's question. */
  text: string;
  /** Further lines: a message's fields. */
  details: string[];
  encrypted?: string;
  abstract: boolean;
  /** A group's label node: the steps must happen together (a `critical` block). */
  critical?: boolean;
  /** A receive node whose message creates the participant. */
  creates?: boolean;
}

/**
 * `flow` joins consecutive steps, `message` a send to its receive, `branch` a decision to a branch
 * the author labelled; `otherwise`, `yes`, `no`, `again`, `done` are unlabelled outcomes the
 * template names; `note` ties a note to its node.
 */
export type EdgeKind = 'flow' | 'message' | 'branch' | 'otherwise' | 'yes' | 'no' | 'again' | 'done' | 'note' | 'delay';

export interface FlowEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** The author's label, for `branch` edges; empty otherwise. */
  label: string;
}

export type ActivityEvent =
  | { kind: 'node'; depth: number; node: FlowNode }
  | { kind: 'note'; depth: number; node: FlowNode; side: 'left' | 'right' }
  /** A note with no node to attach to before its block ends: drawn in the flow as a box with a note icon. */
  | { kind: 'noteBox'; depth: number; node: FlowNode }
  | { kind: 'phase'; depth: number; title: string }
  | { kind: 'endPhase'; depth: number }
  | { kind: 'if'; depth: number; question: string; edge: EdgeKind; label: string }
  | { kind: 'elseIf'; depth: number; edge: EdgeKind; label: string }
  | { kind: 'else'; depth: number; edge: EdgeKind; label: string }
  | { kind: 'endIf'; depth: number }
  | { kind: 'repeat'; depth: number }
  | { kind: 'repeatWhile'; depth: number; label: string }
  | { kind: 'fork'; depth: number }
  | { kind: 'forkAgain'; depth: number }
  | { kind: 'endFork'; depth: number }
  | { kind: 'group'; depth: number; label: string; critical: boolean }
  | { kind: 'endGroup'; depth: number }
  /** Time passes before the next node: its arrow is drawn dashed, with `label`. */
  | { kind: 'delay'; depth: number; label: string }
  /** The flow ends here (a break). */
  | { kind: 'stop'; depth: number };

interface Exit {
  node: string;
  kind: EdgeKind;
  label: string;
}

/** The widest a line of a node or label may be, in columns: a line longer is wrapped between words. */
export const FLOW_TEXT_COLUMNS = 22;

/** The title's lines: a scenario's title names every value, longer than any node. */
export const FLOW_TITLE_COLUMNS = 80;

/** Each line of `text` longer than `columns`, wrapped between words; a word longer than that is cut. */
export function wrapLines(text: string, columns = FLOW_TEXT_COLUMNS): string {
  // A word wider than a node (a URN, a long identifier) would widen its whole lane: it is cut, after punctuation where it has some.
  return wrapText(text, columns, { cut: true, cutAfter: CUT_AFTER }).join('\n');
}

const CUT_AFTER = '/:=&?,;._-';

export function flowchartView(flow: FlowIR, options: ViewOptions = {}): FlowchartView {
  return new FlowchartBuilder(flow, options.flowchartNotes ?? true).build();
}

/**
 * Walks a flow once, in order, building both forms at the same time: the graph (nodes in lanes,
 * edges) and the activity order of the same nodes with block boundaries.
 */
class FlowchartBuilder {
  private readonly position: Map<string, number>;
  private readonly variables: Map<string, Variable>;
  private readonly lanes: FlowLane[];
  private readonly edges: FlowEdge[] = [];
  private readonly activity: ActivityEvent[] = [];
  private phase = { index: 0, title: '' };
  private depth = 0;
  private count = 0;
  /** Where flow goes on from: the exits that the next node joins. */
  private pending: Exit[] = [];
  /**
   * The node a note is tied to: the node before it in its block; at the start of an alt, opt or
   * par branch, the decision or fork that opens it; at the start of a phase, loop or group, or
   * right after a block, the node that follows (`waiting` holds the note until then).
   */
  private anchor: FlowNode | undefined;
  private waiting: FlowNode[] = [];
  /**
   * In the activity order a note must follow a node of its own block (PlantUML drops it anywhere
   * else), so a note with none before it is held until the next node; if its block ends first,
   * it is drawn as a box of its own, so that it stays in its branch.
   */
  private afterNode = false;
  private held: { node: FlowNode; side: 'left' | 'right' }[] = [];
  /** The lane of the latest node of a participant (before any: the first participant that acts). */
  private here: number;
  /** Exits of breaks: they go to the end. */
  private ended: Exit[] = [];

  constructor(
    private readonly flow: FlowIR,
    private readonly showNotes: boolean,
  ) {
    this.position = new Map(flow.participants.map((p, i) => [p.id, i + 1]));
    this.variables = new Map(flow.variables.map((v) => [v.id, v]));
    this.here = this.firstLane(flow.phases.flatMap((p) => p.steps)) || 1;
    this.lanes = flow.participants.map((p, i) => {
      const group = flow.groups.find((g) => g.members.includes(p.id));
      const color = p.color ?? group?.color;
      return {
        index: i + 1,
        label: p.label,
        kind: p.kind,
        ...(color !== undefined ? { color } : {}),
        ...(group ? { group: group.label } : {}),
        phases: [],
      };
    });
  }

  build(): FlowchartView {
    this.emit('start', 0, '');
    for (const [index, p] of this.flow.phases.entries()) {
      this.phase = { index: index + 1, title: p.title };
      // A flow written as `steps:` is one phase without a title: no partition around it.
      if (p.title === '') {
        for (const s of p.steps) this.step(s);
        continue;
      }
      this.mark(undefined, { kind: 'phase', depth: this.depth, title: p.title });
      this.emit('phase', 0, p.title);
      this.nested(p.steps);
      this.mark(undefined, { kind: 'endPhase', depth: this.depth });
    }
    this.phase = { index: 0, title: '' };
    this.pending.push(...this.ended);
    this.emit('end', 0, '');
    return this.wrapped();
  }

  /**
   * The view with every line of text wrapped at FLOW_TEXT_COLUMNS: lanes stand side by side, and
   * so do the branches of a block, so a flowchart is as wide as its widest nodes times their number.
   */
  private wrapped(): FlowchartView {
    const nodes = new Set(this.lanes.flatMap((lane) => lane.phases.flatMap((p) => p.nodes)));
    for (const event of this.activity) if ('node' in event) nodes.add(event.node);
    // Nodes are shared by the graph and the activity order: wrapped once, in place.
    for (const node of nodes) {
      node.text = wrapLines(node.text);
      node.details = node.details.map((detail) => wrapLines(detail));
    }
    const edges = this.edges.map((edge) => ({ ...edge, label: wrapLines(edge.label) }));
    const activity = this.activity.map((event): ActivityEvent => {
      if (event.kind === 'if') return { ...event, question: wrapLines(event.question), label: wrapLines(event.label) };
      if ('label' in event && typeof event.label === 'string') return { ...event, label: wrapLines(event.label) };
      return event;
    });
    const lanes = this.usedLanes().map((lane) => ({ ...lane, label: wrapLines(lane.label) }));
    return { title: wrapLines(this.flow.title, FLOW_TITLE_COLUMNS), lanes, edges, activity };
  }

  /** The lanes with a node in them: a scenario may leave a participant out. */
  private usedLanes(): FlowLane[] {
    return this.lanes.filter((lane) => lane.phases.length > 0);
  }

  /** The lane of the first participant that takes part in `steps` (0 when none does). */
  private firstLane(steps: readonly Step[]): number {
    const first = drawnSteps(steps)[0];
    return this.lane(first && participantsOf(first)[0]);
  }

  private lane(participant: string | undefined): number {
    return this.position.get(participant ?? '') ?? 0;
  }

  /** Steps one block deeper; `sent`, a message of which only the sender's node is drawn, last. */
  private nested(steps: readonly Step[], sent?: Message): void {
    this.depth++;
    for (const s of steps) this.step(s);
    if (sent) this.send(sent);
    this.depth--;
  }

  private noteInActivity(node: FlowNode, side: 'left' | 'right'): void {
    if (this.afterNode) this.activity.push({ kind: 'note', depth: this.depth, node, side });
    else this.held.push({ node, side });
  }

  /** Block boundaries in the activity order. */
  private mark(opener: FlowNode | undefined, ...events: ActivityEvent[]): void {
    for (const { node } of this.held) this.activity.push({ kind: 'noteBox', depth: this.depth, node });
    this.held = [];
    this.activity.push(...events);
    this.anchor = opener;
    this.afterNode = false;
  }

  /** The first node that flow from `into` reached since edge number `since`. */
  private entered(into: ReadonlySet<string>, since: number): string | undefined {
    return this.edges.slice(since).find((e) => into.has(e.from) && e.kind !== 'note')?.to;
  }

  private tie(note: FlowNode, to: FlowNode): void {
    this.edges.push({ from: note.id, to: to.id, kind: 'note', label: '' });
  }

  /**
   * The lane a node goes in: its participant's; for a node of no participant (start, end, a
   * decision, a fork, a phase's title), the lane the flow is in. Outside the lanes, dagre would
   * give each such node a column of its own between them.
   */
  private laneOf(lane: number): number {
    if (lane !== 0) this.here = lane;
    return this.here;
  }

  private place(node: FlowNode): void {
    // A spec declares at least one participant, and laneOf gives every node one.
    const lane = this.lanes[node.lane - 1]!;
    let group = lane.phases.at(-1);
    if (group?.index !== this.phase.index) {
      group = { ...this.phase, nodes: [] };
      lane.phases.push(group);
    }
    group.nodes.push(node);
  }

  /** Creates a node, joins every pending exit to it, and makes it the one pending exit. */
  private emit(shape: NodeShape, lane: number, text: string, extra: Partial<FlowNode> = {}): FlowNode {
    const node: FlowNode = { id: `n${++this.count}`, shape, lane: this.laneOf(lane), text, details: [], abstract: false, ...extra };
    this.place(node);
    for (const exit of this.pending) this.edges.push({ from: exit.node, to: node.id, kind: exit.kind, label: exit.label });
    this.pending = [{ node: node.id, kind: 'flow', label: '' }];
    if (shape !== 'decision' && shape !== 'loop' && shape !== 'fork' && shape !== 'join' && shape !== 'phase') {
      this.activity.push({ kind: 'node', depth: this.depth, node });
      this.afterNode = true;
      for (const note of this.held) this.activity.push({ kind: 'note', depth: this.depth, ...note });
      this.held = [];
    }
    this.anchor = node;
    for (const note of this.waiting) this.tie(note, node);
    this.waiting = [];
    return node;
  }

  private step(s: Step): void {
    switch (s.kind) {
      case 'message':
        this.send(s);
        // A lost message is sent and never received: no node in the receiver's lane.
        if (s.arrow !== 'lost') this.receive(s);
        if (s.note !== undefined && this.showNotes) this.note(s.note, this.lane(s.arrow === 'lost' ? s.from : s.to), 'right');
        return;
      case 'action':
        this.emit('action', this.lane(s.by), s.label);
        return;
      case 'ref':
        this.emit('ref', this.lane(s.over[0]), s.label);
        return;
      case 'note':
        if (this.showNotes) this.note(s.text, this.lane(s.at[0]), s.side === 'left' ? 'left' : 'right');
        return;
      case 'alt':
        this.alternatives(s.branches);
        return;
      case 'opt':
        this.option(s.label, s.steps);
        return;
      case 'loop':
        this.loop(s.label, s.steps);
        return;
      case 'par':
        this.parallel(s.branches);
        return;
      case 'group':
        this.group(s.label, s.steps);
        return;
      case 'critical':
        this.group(s.label, s.steps, true);
        return;
      case 'break':
        // Once decided (in a projection), the flow ends right after it anyway: a labelled box.
        if (s.condition?.length === 0) this.group(s.label, s.steps);
        else this.option(s.label, s.steps, true);
        return;
      case 'destroy':
        this.emit('destroy', this.lane(s.participant), '');
        return;
      case 'delay':
        // Time passes between the nodes before and after: their edge is drawn dashed, with the text.
        this.pending = this.pending.map((exit) => (exit.kind === 'flow' ? { ...exit, kind: 'delay', label: s.text } : exit));
        this.activity.push({ kind: 'delay', depth: this.depth, label: s.text });
        return;
    }
  }

  /** The sender's node; the flow goes on along the message. */
  private send(s: Message): void {
    const detail = { details: s.fields, abstract: s.abstract, ...(s.encrypted !== undefined ? { encrypted: s.encrypted } : {}) };
    const send = this.emit('send', this.lane(s.from), messageTitle(s), detail);
    this.pending = [{ node: send.id, kind: 'message', label: '' }];
  }

  private receive(s: Message): void {
    this.emit('receive', this.lane(s.to), messageTitle(s), { abstract: s.abstract, ...(s.create ? { creates: true } : {}) });
  }

  private note(text: string, lane: number, side: 'left' | 'right'): void {
    const note: FlowNode = { id: `n${++this.count}`, shape: 'note', lane, text, details: [], abstract: false };
    this.place(note);
    this.noteInActivity(note, side);
    if (this.anchor) this.tie(note, this.anchor);
    else this.waiting.push(note);
  }

  /** An opt, or (`ends`) a break: when it happens, its steps run and the flow ends. */
  private option(label: string, steps: readonly Step[], ends = false): void {
    const decision = this.emit('decision', 0, label);
    this.mark(decision, { kind: 'if', depth: this.depth, question: label, edge: 'yes', label: '' });
    this.pending = [{ node: decision.id, kind: 'yes', label: '' }];
    this.nested(steps);
    if (ends) {
      this.ended.push(...this.pending);
      this.pending = [];
      this.mark(undefined, { kind: 'stop', depth: this.depth + 1 });
    }
    this.mark(undefined, { kind: 'else', depth: this.depth, edge: 'no', label: '' }, { kind: 'endIf', depth: this.depth });
    this.pending.push({ node: decision.id, kind: 'no', label: '' });
  }

  private loop(label: string, steps: readonly Step[]): void {
    this.mark(undefined, { kind: 'repeat', depth: this.depth });
    // The loop goes back to the first node its body flows into (the check itself if none).
    const into = new Set(this.pending.map((exit) => exit.node));
    const since = this.edges.length;
    this.nested(steps);
    const check = this.emit('loop', 0, label);
    this.edges.push({ from: check.id, to: this.entered(into, since) ?? check.id, kind: 'again', label: '' });
    this.pending = [{ node: check.id, kind: 'done', label: '' }];
    this.mark(undefined, { kind: 'repeatWhile', depth: this.depth, label });
  }

  private parallel(branches: readonly { label: string; steps: readonly Step[] }[]): void {
    const fork = this.emit('fork', 0, '');
    const exits: Exit[] = [];
    branches.forEach((branch, i) => {
      this.mark(fork, { kind: i === 0 ? 'fork' : 'forkAgain', depth: this.depth });
      // Activity diagrams cannot label a fork's branches: the label is a note on the branch's first node.
      if (branch.label) {
        // In the lane where the branch starts, so that a label drawn as a box of its own (the branch opens with a block) stays there.
        const lane = this.firstLane(branch.steps);
        const label: FlowNode = { id: `${fork.id}b${i + 1}`, shape: 'note', lane, text: branch.label, details: [], abstract: false };
        this.held.push({ node: label, side: 'left' });
      }
      this.pending = [{ node: fork.id, kind: branch.label ? 'branch' : 'flow', label: branch.label }];
      this.nested(branch.steps);
      exits.push(...this.pending);
    });
    this.mark(undefined, { kind: 'endFork', depth: this.depth });
    this.pending = exits;
    this.emit('join', 0, '');
  }

  /** A labelled box: a group, or (`critical`) steps that must happen together. */
  private group(text: string, steps: readonly Step[], critical = false): void {
    const label: FlowNode = {
      id: `n${++this.count}`,
      shape: 'group',
      lane: this.laneOf(0),
      text,
      details: [],
      abstract: false,
      ...(critical ? { critical } : {}),
    };
    this.place(label);
    const into = new Set(this.pending.map((exit) => exit.node));
    const since = this.edges.length;
    this.mark(undefined, { kind: 'group', depth: this.depth, label: text, critical });
    this.nested(steps);
    this.mark(undefined, { kind: 'endGroup', depth: this.depth });
    const first = this.entered(into, since);
    if (first) this.edges.push({ from: label.id, to: first, kind: 'note', label: '' });
  }

  private alternatives(branches: readonly Branch[]): void {
    const question = questionOf(branches, this.variables);
    const decision = this.emit('decision', 0, question);
    const whole = hasElse(branches) || exhaustive(branches, this.flow);
    const received = whole ? sharedLastMessage(branches) : undefined;
    const exits: Exit[] = [];
    branches.forEach((branch, i) => {
      const edge: EdgeKind = branch.label ? 'branch' : 'otherwise';
      const depth = this.depth;
      this.mark(
        decision,
        i === 0
          ? { kind: 'if', depth, question, edge, label: branch.label }
          : branch.condition
            ? { kind: 'elseIf', depth, edge, label: branch.label }
            : { kind: 'else', depth, edge, label: branch.label },
      );
      this.pending = [{ node: decision.id, kind: edge, label: branch.label }];
      if (received) this.nested(branch.steps.slice(0, -1), branch.steps.at(-1) as Message);
      else this.nested(branch.steps);
      exits.push(...this.pending);
    });
    if (!whole) {
      this.mark(decision, { kind: 'else', depth: this.depth, edge: 'otherwise', label: '' });
      exits.push({ node: decision.id, kind: 'otherwise', label: '' });
    }
    this.mark(undefined, { kind: 'endIf', depth: this.depth });
    this.pending = exits;
    if (received) this.receive(received);
  }
}

/**
 * The message every branch ends with, when it is the same in each (its variants differ only in
 * fields) and received: its receiver's node is drawn once, after the branches join. Drawn in every
 * branch, the receiver's lane held one copy per branch side by side.
 */
function sharedLastMessage(branches: readonly Branch[]): Message | undefined {
  const lasts = branches.map((branch) => branch.steps.at(-1));
  const [first] = lasts;
  if (first?.kind !== 'message' || first.arrow === 'lost' || branches.length < 2) return undefined;
  const same = (last: Step | undefined): boolean =>
    last?.kind === 'message' &&
    last.note === undefined &&
    last.arrow !== 'lost' &&
    last.from === first.from &&
    last.to === first.to &&
    last.abstract === first.abstract &&
    last.create === first.create &&
    messageTitle(last) === messageTitle(first);
  return lasts.every(same) ? first : undefined;
}

function hasElse(branches: readonly Branch[]): boolean {
  return branches.some((b) => b.condition === undefined);
}

/** True when the branches test one variable and together name every one of its values. */
/**
 * True when every possible combination of the variables the branches test takes one of them: a
 * combination ruled out by the spec's `scenarios.exclude` (on those variables alone) needs none.
 */
function exhaustive(branches: readonly Branch[], flow: Pick<FlowIR, 'variables' | 'scenarios'>): boolean {
  const tested = new Set(branches.flatMap((b) => (b.condition ?? []).map((term) => term.variable)));
  const variables = flow.variables.filter((v) => tested.has(v.id));
  if (variables.length !== tested.size) return false;
  const exclusions = flow.scenarios.exclude.filter((e) => e.condition.every((term) => tested.has(term.variable)));
  return allScenarios({ variables }).every(
    (combination) =>
      exclusions.some((e) => holds(e.condition, combination)) || branches.some((b) => b.condition !== undefined && holds(b.condition, combination)),
  );
}

/** The decision's text: the labels of the variables the branches test, e.g. "Key exchange". */
function questionOf(branches: readonly Branch[], variables: ReadonlyMap<string, Variable>): string {
  const names = [...new Set(branches.flatMap((b) => (b.condition ?? []).map((t) => t.variable)))];
  return names.map((id) => variables.get(id)?.label ?? id).join(', ');
}
