import type { Branch, ColorName, FlowIR, Message, ParticipantKind, Step, Variable } from '../ir/types.js';
import { drawnSteps, participantsOf } from '../ir/steps.js';
import { messageTitle } from './message-title.js';
import type { FlowchartLanes, ViewOptions } from './options.js';
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
  /** The participant the node is of, when its lane is its group's, shared with other members. */
  by?: string;
}

/**
 * `flow` joins consecutive steps, `message` a send to its receive, `branch` a decision to a branch
 * the author labelled; `otherwise`, `yes`, `no`, `again`, `done` are unlabelled outcomes the
 * template names; `note` ties a note to its node; `delay` is a step after which time passes;
 * `order`, drawn nowhere, keeps a block's next branch below the one before it (see `stacked`).
 */
export type EdgeKind = 'flow' | 'message' | 'branch' | 'otherwise' | 'yes' | 'no' | 'again' | 'done' | 'note' | 'delay' | 'order';

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
  | ({ kind: 'if'; question: string; edge: EdgeKind; label: string } & Decided)
  | ({ kind: 'elseIf'; edge: EdgeKind; label: string } & Decided & Joining)
  /**
   * `opens`: what the branch begins with: nothing of its own (an opt not taken, alternatives
   * with no else), a delay (its first arrow has the delay's label), or any other step.
   */
  | ({ kind: 'else'; edge: EdgeKind; label: string; opens: 'nothing' | 'delay' | 'step' } & Decided & Joining)
  | ({ kind: 'endIf' } & Decided & Joining)
  | { kind: 'repeat'; depth: number }
  | { kind: 'repeatWhile'; depth: number; label: string }
  | { kind: 'fork'; depth: number }
  /**
   * `below`: this branch and the one before both draw a node. A language that draws a par's
   * branches one below the other (PlantUML: side by side, each lane was as wide as all of them)
   * starts this one afresh under the one before, in `lane`, where its first node is.
   */
  | { kind: 'forkAgain'; depth: number; below: boolean; lane: number }
  | { kind: 'endFork'; depth: number }
  | { kind: 'group'; depth: number; label: string; critical: boolean }
  | { kind: 'endGroup'; depth: number }
  /** Time passes before the next node: its arrow is drawn dashed, with `label`. */
  | { kind: 'delay'; depth: number; label: string }
  /** The flow ends here (a break). */
  | { kind: 'stop'; depth: number };

/**
 * Where a decision is: its `lane` and its node's id (`anchor`), by which a language that loses the
 * arrows of branches that start or end in another lane (PlantUML's vertical if) can give each
 * branch an invisible step in the decision's lane.
 */
interface Decided {
  depth: number;
  lane: number;
  anchor: string;
}

/** `joins`: the branch before goes on to the step after the block (it has not ended with a break). */
interface Joining {
  joins: boolean;
}

/** A lane while the view is built: `shared` is the id of the group whose members share it. */
type BuiltLane = FlowLane & { shared?: string };

interface Exit {
  node: string;
  kind: EdgeKind;
  label: string;
}

/** The widest a line of a node or label may be, in columns: a line longer is wrapped between words. */
export const FLOW_TEXT_COLUMNS = 22;

/**
 * A note's lines: narrower than a node, as it stands beside one (in the activity diagram, in the
 * same lane) and says something secondary.
 */
export const FLOW_NOTE_COLUMNS = 16;

/** The title's lines: a scenario's title names every value, longer than any node. */
export const FLOW_TITLE_COLUMNS = 80;

/** Each line of `text` longer than `columns`, wrapped between words; a word longer than that is cut. */
export function wrapLines(text: string, columns = FLOW_TEXT_COLUMNS): string {
  // A word wider than a node (a URN, a long identifier) would widen its whole lane: it is cut, after punctuation where it has some.
  return wrapText(text, columns, { cut: true, cutAfter: CUT_AFTER }).join('\n');
}

const CUT_AFTER = '/:=&?,;._-';

export function flowchartView(flow: FlowIR, options: ViewOptions = {}): FlowchartView {
  return new FlowchartBuilder(flow, options.flowchartNotes ?? true, options.flowchartLanes ?? 'auto').build();
}

/** More lanes than this do not fit a wiki column side by side: `auto` then gives each group one lane. */
export const MAX_LANES = 5;

/** Whether the members of each group share one lane. */
function lanesPerGroup(flow: FlowIR, option: FlowchartLanes): boolean {
  if (option !== 'auto') return option === 'groups';
  return flow.groups.length > 0 && flow.participants.length > MAX_LANES;
}

/**
 * Walks a flow once, in order, building both forms at the same time: the graph (nodes in lanes,
 * edges) and the activity order of the same nodes with block boundaries.
 */
class FlowchartBuilder {
  private readonly position: Map<string, number>;
  private readonly variables: Map<string, Variable>;
  private readonly lanes: BuiltLane[];
  /** The participants that share their group's lane, with the label their nodes name them by. */
  private readonly sharers: Map<string, string>;
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
    lanesOption: FlowchartLanes,
  ) {
    this.lanes = [];
    this.position = new Map();
    this.sharers = new Map();
    const perGroup = lanesPerGroup(flow, lanesOption);
    for (const p of flow.participants) {
      const group = flow.groups.find((g) => g.members.includes(p.id));
      const sharing = perGroup && group !== undefined;
      if (sharing) this.sharers.set(p.id, p.label);
      let lane = sharing ? this.lanes.find((l) => l.shared === group.id) : undefined;
      if (!lane) {
        const color = sharing ? group.color : (p.color ?? group?.color);
        lane = {
          index: this.lanes.length + 1,
          label: sharing ? group.label : p.label,
          kind: p.kind,
          ...(color !== undefined ? { color } : {}),
          ...(group && !sharing ? { group: group.label } : {}),
          ...(sharing ? { shared: group.id } : {}),
          phases: [],
        };
        this.lanes.push(lane);
      }
      this.position.set(p.id, lane.index);
    }
    this.variables = new Map(flow.variables.map((v) => [v.id, v]));
    this.here = this.firstLane(flow.phases.flatMap((p) => p.steps)) || 1;
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
      node.text = wrapLines(node.text, node.shape === 'note' ? FLOW_NOTE_COLUMNS : FLOW_TEXT_COLUMNS);
      node.details = node.details.map((detail) => wrapLines(detail));
      if (node.by !== undefined) node.by = wrapLines(node.by);
    }
    const edges = this.edges.map((edge) => ({ ...edge, label: wrapLines(edge.label) }));
    const activity = this.activity.map((event): ActivityEvent => {
      if (event.kind === 'if') return { ...event, question: wrapLines(event.question), label: wrapLines(event.label) };
      if ('label' in event && typeof event.label === 'string') return { ...event, label: wrapLines(event.label) };
      return event;
    });
    const lanes = this.usedLanes().map(({ shared: _, ...lane }) => ({ ...lane, label: wrapLines(lane.label) }));
    return { title: wrapLines(this.flow.title, FLOW_TITLE_COLUMNS), lanes, edges, activity };
  }

  /** The lanes with a node in them: a scenario may leave a participant out. */
  private usedLanes(): BuiltLane[] {
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

  /** The participant's label, for a node in a lane its group shares. */
  private by(participant: string): Pick<FlowNode, 'by'> {
    const label = this.sharers.get(participant);
    return label === undefined ? {} : { by: label };
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
    return this.edges.slice(since).find((e) => into.has(e.from) && e.kind !== 'note' && e.kind !== 'order')?.to;
  }

  /**
   * Branches out of `from`, one below the other: an `order` edge (drawn nowhere) from where each
   * branch ends to where the next begins. Side by side, dagre made each lane as wide as all its
   * branches together.
   */
  private stacked(from: FlowNode): { branch(draw: () => void): void } {
    let above: string[] = [];
    return {
      branch: (draw) => {
        const since = this.edges.length;
        draw();
        const first = this.entered(new Set([from.id]), since);
        if (!first) return;
        for (const node of above) this.edges.push({ from: node, to: first, kind: 'order', label: '' });
        above = this.pending.map((exit) => exit.node).filter((node) => node !== from.id);
      },
    };
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
        this.emit('action', this.lane(s.by), s.label, this.by(s.by));
        return;
      case 'ref':
        this.emit('ref', this.lane(s.over[0]), s.label, s.over.length === 1 ? this.by(s.over[0]!) : {});
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
        this.emit('destroy', this.lane(s.participant), '', this.by(s.participant));
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
    const detail = { details: s.fields, abstract: s.abstract, ...(s.encrypted !== undefined ? { encrypted: s.encrypted } : {}), ...this.by(s.from) };
    const send = this.emit('send', this.lane(s.from), messageTitle(s), detail);
    this.pending = [{ node: send.id, kind: 'message', label: '' }];
  }

  private receive(s: Message): void {
    this.emit('receive', this.lane(s.to), messageTitle(s), { abstract: s.abstract, ...(s.create ? { creates: true } : {}), ...this.by(s.to) });
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
    const at = this.decided(decision);
    this.mark(decision, { kind: 'if', ...at, question: label, edge: 'yes', label: '' });
    this.pending = [{ node: decision.id, kind: 'yes', label: '' }];
    this.nested(steps);
    if (ends) {
      this.ended.push(...this.pending);
      this.pending = [];
      this.mark(undefined, { kind: 'stop', depth: this.depth + 1 });
    }
    this.mark(
      undefined,
      { kind: 'else', ...at, joins: this.pending.length > 0, edge: 'no', label: '', opens: 'nothing' },
      { kind: 'endIf', ...at, joins: true },
    );
    this.pending.push({ node: decision.id, kind: 'no', label: '' });
  }

  /** What a branch whose events begin at `start` begins with, once its steps are placed (a note held for later is drawn in it). */
  private opening(start: number): 'nothing' | 'delay' | 'step' {
    const first = this.activity[start];
    if (first) return first.kind === 'delay' ? 'delay' : 'step';
    return this.held.length > 0 ? 'step' : 'nothing';
  }

  private decided(decision: FlowNode): Decided {
    return { depth: this.depth, lane: decision.lane, anchor: decision.id };
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
    const stack = this.stacked(fork);
    const exits: Exit[] = [];
    branches.forEach((branch, i) => {
      const lane = this.firstLane(branch.steps);
      const below = lane !== 0 && this.pending.some((exit) => exit.node !== fork.id);
      this.mark(fork, i === 0 ? { kind: 'fork', depth: this.depth } : { kind: 'forkAgain', depth: this.depth, below, lane });
      // Activity diagrams cannot label a fork's branches: the label is a note on the branch's first node.
      if (branch.label) {
        // In the lane where the branch starts, so that a label drawn as a box of its own (the branch opens with a block) stays there.
        const label: FlowNode = { id: `${fork.id}b${i + 1}`, shape: 'note', lane, text: branch.label, details: [], abstract: false };
        this.held.push({ node: label, side: 'left' });
      }
      this.pending = [{ node: fork.id, kind: branch.label ? 'branch' : 'flow', label: branch.label }];
      stack.branch(() => this.nested(branch.steps));
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
    const stack = this.stacked(decision);
    const exits: Exit[] = [];
    const at = this.decided(decision);
    branches.forEach((branch, i) => {
      const edge: EdgeKind = branch.label ? 'branch' : 'otherwise';
      const joins = this.pending.length > 0;
      const marker: ActivityEvent =
        i === 0
          ? { kind: 'if', ...at, question, edge, label: branch.label }
          : branch.condition
            ? { kind: 'elseIf', ...at, joins, edge, label: branch.label }
            : { kind: 'else', ...at, joins, edge, label: branch.label, opens: 'step' };
      this.mark(decision, marker);
      const start = this.activity.length;
      this.pending = [{ node: decision.id, kind: edge, label: branch.label }];
      stack.branch(() => {
        if (received) this.nested(branch.steps.slice(0, -1), branch.steps.at(-1) as Message);
        else this.nested(branch.steps);
      });
      if (marker.kind === 'else') marker.opens = this.opening(start);
      exits.push(...this.pending);
    });
    if (!whole) {
      this.mark(decision, { kind: 'else', ...at, joins: this.pending.length > 0, edge: 'otherwise', label: '', opens: 'nothing' });
      exits.push({ node: decision.id, kind: 'otherwise', label: '' });
    }
    this.mark(undefined, { kind: 'endIf', ...at, joins: this.pending.length > 0 || !whole });
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
