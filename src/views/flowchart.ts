import type { Branch, Condition, FlowIR, ParticipantKind, Step, Variable } from '../ir/types.js';
import { messageTitle } from './message-title.js';
import type { ViewOptions } from './options.js';

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
  lanes: FlowLane[];
  /** Nodes outside every lane: start, end, decisions, forks and joins. */
  loose: FlowNode[];
  edges: FlowEdge[];
  activity: ActivityEvent[];
}

export interface FlowLane {
  index: number;
  label: string;
  kind: ParticipantKind;
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
  | 'note'
  /** A group's label, tied to the group's first node (graph languages have no box across lanes). */
  | 'group'
  /** An included flow drawn as one node (in the lane of the first participant it involves). */
  | 'ref';

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
}

/**
 * `flow` joins consecutive steps, `message` a send to its receive, `branch` a decision to a branch
 * the author labelled; `otherwise`, `yes`, `no`, `again`, `done` are unlabelled outcomes the
 * template names; `note` ties a note to its node.
 */
export type EdgeKind = 'flow' | 'message' | 'branch' | 'otherwise' | 'yes' | 'no' | 'again' | 'done' | 'note';

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
  | { kind: 'group'; depth: number; label: string }
  | { kind: 'endGroup'; depth: number };

interface Exit {
  node: string;
  kind: EdgeKind;
  label: string;
}

export function flowchartView(flow: FlowIR, options: ViewOptions = {}): FlowchartView {
  const showNotes = options.flowchartNotes ?? true;
  const position = new Map(flow.participants.map((p, i) => [p.id, i + 1]));
  const lanes: FlowLane[] = flow.participants.map((p, i) => ({ index: i + 1, label: p.label, kind: p.kind, phases: [] }));
  const loose: FlowNode[] = [];
  const edges: FlowEdge[] = [];
  const activity: ActivityEvent[] = [];
  const variables = new Map(flow.variables.map((v) => [v.id, v]));
  let phase = { index: 0, title: '' };
  let depth = 0;
  let count = 0;
  let pending: Exit[] = [];
  /**
   * The node a note is tied to: the node before it in its block; at the start of an alt, opt or
   * par branch, the decision or fork that opens it; at the start of a phase, loop or group, or
   * right after a block, the node that follows (`waiting` holds the note until then).
   */
  let anchor: FlowNode | undefined;
  let waiting: FlowNode[] = [];
  /**
   * In the activity order a note must follow a node of its own block (PlantUML drops it anywhere
   * else), so a note with none before it is held until the next node; if its block ends first,
   * it is drawn as a box of its own, so that it stays in its branch.
   */
  let afterNode = false;
  let held: { node: FlowNode; side: 'left' | 'right' }[] = [];
  const noteInActivity = (node: FlowNode, side: 'left' | 'right') => {
    if (afterNode) activity.push({ kind: 'note', depth, node, side });
    else held.push({ node, side });
  };

  /** Block boundaries in the activity order. */
  const mark = (opener: FlowNode | undefined, ...events: ActivityEvent[]) => {
    for (const { node } of held) activity.push({ kind: 'noteBox', depth, node });
    held = [];
    activity.push(...events);
    anchor = opener;
    afterNode = false;
  };

  /** The first node that flow from `into` reached since edge number `since`. */
  const entered = (into: ReadonlySet<string>, since: number): string | undefined => edges.slice(since).find((e) => into.has(e.from) && e.kind !== 'note')?.to;

  const tie = (note: FlowNode, to: FlowNode) => edges.push({ from: note.id, to: to.id, kind: 'note', label: '' });

  const place = (node: FlowNode) => {
    const lane = lanes[node.lane - 1];
    if (!lane) {
      loose.push(node);
      return;
    }
    let group = lane.phases.at(-1);
    if (group?.index !== phase.index) {
      group = { ...phase, nodes: [] };
      lane.phases.push(group);
    }
    group.nodes.push(node);
  };

  /** Creates a node, joins every pending exit to it, and makes it the one pending exit. */
  const emit = (shape: NodeShape, lane: number, text: string, extra: Partial<FlowNode> = {}): FlowNode => {
    const node: FlowNode = { id: `n${++count}`, shape, lane, text, details: [], abstract: false, ...extra };
    place(node);
    for (const exit of pending) edges.push({ from: exit.node, to: node.id, kind: exit.kind, label: exit.label });
    pending = [{ node: node.id, kind: 'flow', label: '' }];
    if (shape !== 'decision' && shape !== 'loop' && shape !== 'fork' && shape !== 'join') {
      activity.push({ kind: 'node', depth, node });
      afterNode = true;
      for (const note of held) activity.push({ kind: 'note', depth, ...note });
      held = [];
    }
    anchor = node;
    for (const note of waiting) tie(note, node);
    waiting = [];
    return node;
  };

  const steps = (list: readonly Step[]) => list.forEach(step);

  const step = (s: Step): void => {
    switch (s.kind) {
      case 'message': {
        const title = messageTitle(s);
        const detail = { details: s.fields, abstract: s.abstract, ...(s.encrypted !== undefined ? { encrypted: s.encrypted } : {}) };
        const send = emit('send', position.get(s.from) ?? 0, title, detail);
        pending = [{ node: send.id, kind: 'message', label: '' }];
        emit('receive', position.get(s.to) ?? 0, title, { abstract: s.abstract });
        return;
      }
      case 'action':
        emit('action', position.get(s.by) ?? 0, s.label);
        return;
      case 'ref':
        emit('ref', position.get(s.over[0] ?? '') ?? 0, s.label);
        return;
      case 'note': {
        if (!showNotes) return;
        const note: FlowNode = { id: `n${++count}`, shape: 'note', lane: position.get(s.at[0]!) ?? 0, text: s.text, details: [], abstract: false };
        place(note);
        noteInActivity(note, s.side === 'left' ? 'left' : 'right');
        if (anchor) tie(note, anchor);
        else waiting.push(note);
        return;
      }
      case 'alt':
        alternatives(s.branches);
        return;
      case 'opt': {
        const decision = emit('decision', 0, s.label);
        mark(decision, { kind: 'if', depth, question: s.label, edge: 'yes', label: '' });
        pending = [{ node: decision.id, kind: 'yes', label: '' }];
        depth++;
        steps(s.steps);
        depth--;
        mark(undefined, { kind: 'else', depth, edge: 'no', label: '' }, { kind: 'endIf', depth });
        pending.push({ node: decision.id, kind: 'no', label: '' });
        return;
      }
      case 'loop': {
        mark(undefined, { kind: 'repeat', depth });
        // The loop goes back to the first node its body flows into (the check itself if none).
        const into = new Set(pending.map((exit) => exit.node));
        const since = edges.length;
        depth++;
        steps(s.steps);
        depth--;
        const check = emit('loop', 0, s.label);
        edges.push({ from: check.id, to: entered(into, since) ?? check.id, kind: 'again', label: '' });
        pending = [{ node: check.id, kind: 'done', label: '' }];
        mark(undefined, { kind: 'repeatWhile', depth, label: s.label });
        return;
      }
      case 'par': {
        const fork = emit('fork', 0, '');
        const exits: Exit[] = [];
        s.branches.forEach((branch, i) => {
          mark(fork, { kind: i === 0 ? 'fork' : 'forkAgain', depth });
          // Activity diagrams cannot label a fork's branches: the label is a note on the branch's first node.
          if (branch.label) {
            const label: FlowNode = { id: `${fork.id}b${i + 1}`, shape: 'note', lane: 0, text: branch.label, details: [], abstract: false };
            held.push({ node: label, side: 'left' });
          }
          pending = [{ node: fork.id, kind: branch.label ? 'branch' : 'flow', label: branch.label }];
          depth++;
          steps(branch.steps);
          depth--;
          exits.push(...pending);
        });
        mark(undefined, { kind: 'endFork', depth });
        pending = exits;
        emit('join', 0, '');
        return;
      }
      case 'group': {
        const label: FlowNode = { id: `n${++count}`, shape: 'group', lane: 0, text: s.label, details: [], abstract: false };
        loose.push(label);
        const into = new Set(pending.map((exit) => exit.node));
        const since = edges.length;
        mark(undefined, { kind: 'group', depth, label: s.label });
        depth++;
        steps(s.steps);
        depth--;
        mark(undefined, { kind: 'endGroup', depth });
        const first = entered(into, since);
        if (first) edges.push({ from: label.id, to: first, kind: 'note', label: '' });
        return;
      }
    }
  };

  const alternatives = (branches: readonly Branch[]) => {
    const question = questionOf(branches, variables);
    const decision = emit('decision', 0, question);
    const exits: Exit[] = [];
    branches.forEach((branch, i) => {
      const edge: EdgeKind = branch.label ? 'branch' : 'otherwise';
      mark(
        decision,
        i === 0
          ? { kind: 'if', depth, question, edge, label: branch.label }
          : branch.condition
            ? { kind: 'elseIf', depth, edge, label: branch.label }
            : { kind: 'else', depth, edge, label: branch.label },
      );
      pending = [{ node: decision.id, kind: edge, label: branch.label }];
      depth++;
      steps(branch.steps);
      depth--;
      exits.push(...pending);
    });
    if (!hasElse(branches) && !exhaustive(branches, variables)) {
      mark(decision, { kind: 'else', depth, edge: 'otherwise', label: '' });
      exits.push({ node: decision.id, kind: 'otherwise', label: '' });
    }
    mark(undefined, { kind: 'endIf', depth });
    pending = exits;
  };

  emit('start', 0, '');
  for (const [index, p] of flow.phases.entries()) {
    phase = { index: index + 1, title: p.title };
    mark(undefined, { kind: 'phase', depth, title: p.title });
    depth++;
    steps(p.steps);
    depth--;
    mark(undefined, { kind: 'endPhase', depth });
  }
  phase = { index: 0, title: '' };
  emit('end', 0, '');

  return { title: flow.title, lanes, loose, edges, activity };
}

function hasElse(branches: readonly Branch[]): boolean {
  return branches.some((b) => b.condition === undefined);
}

/** True when the branches test one variable and together name every one of its values. */
function exhaustive(branches: readonly Branch[], variables: ReadonlyMap<string, Variable>): boolean {
  const tested = new Set(branches.flatMap((b) => (b.condition ?? []).map((term) => term.variable)));
  if (tested.size !== 1 || branches.some((b) => (b.condition ?? []).length !== 1)) return false;
  const variable = variables.get([...tested][0]!);
  const named = new Set(branches.flatMap((b) => (b.condition as Condition)[0]!.values));
  return variable?.values.every((v) => named.has(v.id)) ?? false;
}

/** The decision's text: the labels of the variables the branches test, e.g. "Key exchange". */
function questionOf(branches: readonly Branch[], variables: ReadonlyMap<string, Variable>): string {
  const names = [...new Set(branches.flatMap((b) => (b.condition ?? []).map((t) => t.variable)))];
  return names.map((id) => variables.get(id)?.label ?? id).join(', ');
}
