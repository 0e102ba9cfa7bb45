import type { Theme } from '../shared/theme.js';

/**
 * Where a part of the flow was written: its path in the spec's data, e.g.
 * `['phases', 1, 'steps', 3]`. The compiled spec's `locate` turns it into file:line:col on demand,
 * so the common case (a clean spec) never pays for positions.
 */
export type SourcePath = readonly (string | number)[];

/**
 * The target-neutral model of one flow. Every text is exactly what the author wrote;
 * no field here knows how any diagram language spells anything.
 */
export interface FlowIR {
  title: string;
  description?: string;
  /** How the author asks for the images to be coloured; else the project's theme. */
  theme?: Theme;
  /** In drawing order: the members of a group next to each other. */
  participants: Participant[];
  /** Boxes around participants that belong together. */
  groups: ParticipantGroup[];
  variables: Variable[];
  /** Which scenarios enumeration draws; by default every combination of values. */
  scenarios: ScenarioDeclarations;
  /** What every recording of the flow shows: fact (e.g. `version`) → patterns, one of which it matches. */
  trace: TracePatterns;
  phases: Phase[];
}

/** How messages are numbered: not at all, 1, 2, 3 through the flow, or phase.message (2.1, 2.2). */
export type Numbering = 'none' | 'flat' | 'phase';

/** Fact → the patterns (`*` for any run of characters) a recording's value of it may match. */
export type TracePatterns = Readonly<Record<string, readonly string[]>>;

/** Colour names from a fixed palette: each target maps them to colours that read in light and dark themes. */
export type ColorName = 'red' | 'orange' | 'yellow' | 'green' | 'blue' | 'purple' | 'gray';

export interface ParticipantGroup {
  id: string;
  label: string;
  /** Participant ids, in drawing order. */
  members: string[];
  color?: ColorName;
  source: SourcePath;
}

export type ParticipantKind = 'actor' | 'service' | 'database' | 'queue' | 'external';
export type Arrow = 'sync' | 'async' | 'reply' | 'both' | 'lost';
export type NoteSide = 'left' | 'right' | 'over';

export interface Participant {
  id: string;
  label: string;
  kind: ParticipantKind;
  color?: ColorName;
  /** Not there from the start: its lifeline begins at the message that creates it. */
  created?: boolean;
}

export interface Value {
  id: string;
  label: string;
}

export interface Variable {
  id: string;
  label: string;
  values: Value[];
  default: string;
  /** Value id → what a recording shows when the scenario has that value (values not named: anything). */
  trace: Readonly<Record<string, TracePatterns>>;
  /** Where it was declared (in an included spec, for one an include brought in). */
  source: SourcePath;
}

/** Every term must hold; a term holds when its variable has one of the listed values. */
export type Condition = readonly { variable: string; values: readonly string[] }[];

/** A scenario the spec names: values for some variables (the others take their default). */
export interface DeclaredScenario {
  title?: string;
  values: Readonly<Record<string, string>>;
  source: SourcePath;
}

/** Combinations of values that are impossible or not worth drawing. */
export interface Exclusion {
  condition: Condition;
  source: SourcePath;
}

export interface ScenarioDeclarations {
  /** When present, exactly these scenarios are drawn. */
  only?: DeclaredScenario[];
  exclude: Exclusion[];
}

export interface Phase {
  id?: string;
  title: string;
  steps: Step[];
  source: SourcePath;
}

export type Step = Message | Action | Note | Alt | Opt | Loop | Par | Group | Critical | Ref | Delay | Break | Destroy;

/**
 * An exception: when it happens, its steps run and the flow ends there. Without a condition it
 * may or may not happen; an empty condition (what projection leaves once it is decided) always does.
 */
export interface Break {
  kind: 'break';
  condition?: Condition;
  label: string;
  steps: Step[];
  color?: ColorName;
  source: SourcePath;
}

/** A participant's lifeline ends here: nothing reaches it afterwards. */
export interface Destroy {
  kind: 'destroy';
  participant: string;
  source: SourcePath;
}

/** Steps that must happen together, atomically. */
export interface Critical {
  kind: 'critical';
  label: string;
  steps: Step[];
  color?: ColorName;
  source: SourcePath;
}

/** Time passes here, with what is said of it (empty: nothing). */
export interface Delay {
  kind: 'delay';
  text: string;
  source: SourcePath;
}

export interface Message {
  kind: 'message';
  id?: string;
  label: string;
  from: string;
  to: string;
  code?: string;
  fields: string[];
  arrow: Arrow;
  abstract: boolean;
  encrypted?: string;
  /** A note attached to it, drawn beside its arrow. */
  note?: string;
  /** The receiver is busy from this message (an activation bar)… */
  activate?: boolean;
  /** …until it sends one that ends its latest activation. */
  deactivate?: boolean;
  /** It creates its receiver, a participant that is not there from the start. */
  create?: boolean;
  /** Its number as drawn (see Numbering), given on the full flow so that every scenario shows the same one. */
  number?: string;
  /** The number the author wrote (`number: 3a`), which numbering keeps. */
  fixedNumber?: string;
  /** The names it may appear as in a recorded trace; empty when recordings do not show it. */
  trace: string[];
  /** The Wireshark display filters a packet of it matches in a capture (`trace: { filter: … }` or `{ fields: … }`). */
  traceFilters?: string[];
  /** In a drawing of a recording against the spec (protoflow conform): how the recording departed from it here. */
  deviation?: DeviationKind;
  source: SourcePath;
}

export type DeviationKind = 'unexpected' | 'missing' | 'wrong-direction' | 'out-of-order';

export interface Action {
  kind: 'action';
  id?: string;
  label: string;
  by: string;
  source: SourcePath;
}

export interface Note {
  kind: 'note';
  text: string;
  /** One participant, or several for a note drawn over all of them. */
  at: string[];
  side: NoteSide;
  source: SourcePath;
}

export interface Branch {
  /** Absent on an else-branch. */
  condition?: Condition;
  label: string;
  steps: Step[];
  color?: ColorName;
  source: SourcePath;
}

export interface Alt {
  kind: 'alt';
  branches: Branch[];
  source: SourcePath;
}

export interface Opt {
  kind: 'opt';
  /** Absent when the block is optional in every scenario (it may or may not happen). */
  condition?: Condition;
  label: string;
  steps: Step[];
  source: SourcePath;
}

export interface Loop {
  kind: 'loop';
  label: string;
  steps: Step[];
  color?: ColorName;
  source: SourcePath;
}

export interface Par {
  kind: 'par';
  branches: { label: string; steps: Step[]; color?: ColorName; source: SourcePath }[];
  source: SourcePath;
}

export interface Group {
  kind: 'group';
  label: string;
  steps: Step[];
  color?: ColorName;
  source: SourcePath;
}

/** An included flow drawn as one reference box over the participants it involves (`include` with `collapse: true`). */
export interface Ref {
  kind: 'ref';
  label: string;
  /** The participants its steps involve, in declaration order. */
  over: string[];
  /** What the box stands for: not drawn, and not a row of the presence matrix, but conformance looks inside. */
  steps: Step[];
  source: SourcePath;
}
