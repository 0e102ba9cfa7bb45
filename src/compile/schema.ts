import { z } from 'zod';
import { THEMES } from '../shared/theme.js';

/** Ids name things for the spec author; targets never write them raw into a diagram. */
export const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;

/**
 * C0 controls other than line breaks, DEL, and lone surrogates (half of a character, which YAML's
 * "\ud800" escape can make): no diagram can show them.
 */
export const NO_CONTROL_CHARACTERS = /^(?:[^\x00-\x09\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;

const Id = z.string().regex(ID_PATTERN).meta({ patternErrorMessage: 'An id starts with a letter and has only letters, digits, "_" and "-".' });

/** A value's id: an id, or a whole number (`qos: 2`, `values: { 0: At most once }`). */
export const VALUE_ID_PATTERN = /^(?:[A-Za-z][A-Za-z0-9_-]*|\d+)$/;
/** A value id as written: text, or a whole number read as its text (`2` is the value "2"). */
const ValueId = z
  .union([z.string().regex(VALUE_ID_PATTERN), z.number().int().nonnegative()])
  .transform(String)
  .describe('A value id: letters, digits, "_" and "-" starting with a letter, or a whole number.');
/** Something to draw: a text of only spaces (or nothing) is a syntax error in some diagram statements. */
export const NOT_BLANK = /\S/;

/** Text the reader sees, character for character. */
const Text = z
  .string()
  .regex(NO_CONTROL_CHARACTERS)
  .regex(NOT_BLANK)
  .meta({ patternErrorMessage: 'Text to draw: not blank, and without control characters (line breaks are fine).' });
const OneOrMore = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]);

export const PARTICIPANT_KINDS = ['actor', 'service', 'database', 'queue', 'external'] as const;
export const ARROWS = ['sync', 'async', 'reply', 'both', 'lost'] as const;
export const NOTE_SIDES = ['left', 'right', 'over'] as const;
export const NUMBERINGS = ['none', 'flat', 'phase'] as const;
/** Colour names, each drawn by a colour that reads in light and dark themes; never a free string reaching a renderer. */
export const COLORS = ['red', 'orange', 'yellow', 'green', 'blue', 'purple', 'gray'] as const;
const Color = z.enum(COLORS).describe('One of red, orange, yellow, green, blue, purple, gray.');

export const ParticipantSchema = z.strictObject({
  label: Text.optional().describe('Shown name; defaults to the id.'),
  kind: z.enum(PARTICIPANT_KINDS).optional().describe('How it is drawn (default service).'),
  color: Color.optional(),
  created: z.boolean().optional().describe('Not there from the start: its lifeline begins at the message that creates it (create: true).'),
});

/** A name as a recording shows it; `*` stands for any run of characters. */
const TracePattern = Text.describe('A name as a recording shows it; * matches any run of characters.');
const Patterns = OneOrMore(TracePattern);
const ValuePatterns = z.record(z.string().regex(VALUE_ID_PATTERN), Patterns);
/** How a packet capture shows a message: a Wireshark display filter, or fields and the values they must have. */
const TraceFilter = z.union([
  z.strictObject({ filter: Text.describe('A Wireshark display filter the packet matches, e.g. mqtt.msgtype == 3 && mqtt.qos == 1.') }),
  z.strictObject({
    fields: z
      .record(z.string(), z.union([Text, z.number(), z.boolean()]))
      .refine((fields) => Object.keys(fields).length > 0, 'name at least one field')
      .describe('Wireshark field → the value it has in the packet, e.g. { mqtt.msgtype: 3, mqtt.qos: 1 }.'),
  }),
]);
const MessageTracePatterns = OneOrMore(z.union([TracePattern, TraceFilter]));
const CIPHER = 'The negotiated cipher suite, by its IANA name, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256.';
const VERSION = 'The negotiated protocol version, e.g. TLS 1.2.';

/** What a trace reader tells of a whole recording besides its messages (see src/trace/). */
export const SpecTraceSchema = z
  .strictObject({ cipher: Patterns.optional().describe(CIPHER), version: Patterns.optional().describe(VERSION) })
  .describe('What every recording of this flow shows: fact → the patterns it must match.');
export const TRACE_FACTS = Object.keys(SpecTraceSchema.shape) as (keyof typeof SpecTraceSchema.shape)[];

export const VariableTraceSchema = z
  .strictObject({ cipher: ValuePatterns.optional().describe(CIPHER), version: ValuePatterns.optional().describe(VERSION) })
  .describe('How a recording shows which value a scenario has: fact → value id → the patterns it matches.');

export const VariableSchema = z.strictObject({
  label: Text.optional().describe('Shown name; defaults to the id.'),
  values: z.record(z.string().regex(VALUE_ID_PATTERN), Text).describe('Value id → label, in order; at least one. A value id may be a whole number (0, 1, 2).'),
  default: ValueId.optional().describe('The value a scenario takes when it does not name this variable; defaults to the first.'),
  trace: VariableTraceSchema.optional(),
});

/** Variable id → one value id or a list of them; every entry must hold. */
export const ConditionSchema = z
  .record(Id, OneOrMore(ValueId))
  .describe('Variable id → one value id or a list of them; holds when every variable named has one of its values.');

// Step kinds, in the order of the StepSchema union (diagnostics rely on this order).
export const STEP_KINDS = ['message', 'action', 'note', 'alt', 'opt', 'loop', 'par', 'group', 'include', 'delay', 'critical', 'break', 'destroy'] as const;

export type StepInput =
  | MessageInput
  | ActionInput
  | NoteInput
  | AltInput
  | OptInput
  | LoopInput
  | ParInput
  | GroupInput
  | IncludeInput
  | DelayInput
  | CriticalInput
  | BreakInput
  | DestroyInput;

const Steps: z.ZodType<StepInput[]> = z.lazy(() => z.array(StepSchema).min(1));

export const MessageSchema = z.strictObject({
  message: Text.describe("The message's title."),
  from: Id.describe('Sending participant.'),
  to: Id.describe('Receiving participant.'),
  id: Id.optional().describe('Unique id, for references; not drawn.'),
  code: z.union([z.number().int(), z.string()]).optional().describe('A type code shown after the title, e.g. 1 for ClientHello.'),
  fields: z.array(Text).optional().describe('What the message carries, one line each.'),
  arrow: z.enum(ARROWS).optional().describe('sync (default), async, reply, both ways, or lost (never arrives: drawn with a cross).'),
  note: Text.optional().describe('A note attached to this message, drawn beside its arrow.'),
  activate: z.boolean().optional().describe('The receiver is busy from this message (an activation bar) until it sends one with deactivate: true.'),
  deactivate: z.boolean().optional().describe("Ends the sender's latest activation: it is done once it sends this message."),
  create: z.boolean().optional().describe('This message creates its receiver, a participant declared with created: true.'),
  abstract: z.boolean().optional().describe('A summary of several messages (drawn dashed or marked).'),
  encrypted: Text.optional().describe('The key it is encrypted with; marked with a lock.'),
  number: z
    .union([Text, z.number().int().nonnegative()])
    .transform(String)
    .optional()
    .describe('Its number as drawn, instead of the one numbering gives (e.g. 3a); numbering goes on after it.'),
  trace: MessageTracePatterns.optional().describe(
    'How it appears in a recorded trace (protoflow conform): a name, a Wireshark display filter ({ filter: … }) or fields and values ({ fields: { … } }) for packet captures, or a list of them any of which it may appear as.',
  ),
});
export type MessageInput = z.infer<typeof MessageSchema>;

export const ActionSchema = z.strictObject({
  action: Text.describe('What a participant does on its own.'),
  by: Id.describe('The participant doing it.'),
  id: Id.optional().describe('Unique id, for references; not drawn.'),
});
export type ActionInput = z.infer<typeof ActionSchema>;

export const NoteSchema = z.strictObject({
  note: Text.describe('The note text.'),
  at: OneOrMore(Id).describe('The participant it is attached to, or a list to span several.'),
  side: z.enum(NOTE_SIDES).optional().describe('left, right (default) or over; a note at several participants is over them.'),
});
export type NoteInput = z.infer<typeof NoteSchema>;

export interface BranchInput {
  when?: Record<string, string | string[]>;
  label?: string;
  steps: StepInput[];
  color?: (typeof COLORS)[number];
}
const BranchSchema: z.ZodType<BranchInput> = z.strictObject({
  when: ConditionSchema.optional().describe('When the branch is taken; leave it out on the last branch of an alt for "otherwise".'),
  label: Text.optional().describe('Shown label; defaults to the condition in words.'),
  steps: Steps,
});

/** An alt branch may be empty (`steps: []`): in its case nothing happens. */
const AltBranchSchema: z.ZodType<BranchInput> = z.strictObject({
  when: ConditionSchema.optional().describe('When the branch is taken; leave it out on the last branch of an alt for "otherwise".'),
  label: Text.optional().describe('Shown label; defaults to the condition in words.'),
  steps: z.lazy(() => z.array(StepSchema)).describe('What happens in this case; [] for "nothing happens".'),
  color: Color.optional(),
});

export interface AltInput {
  alt: BranchInput[];
}
export const AltSchema: z.ZodType<AltInput> = z.strictObject({
  alt: z.array(AltBranchSchema).min(1).describe('Alternatives: the first branch whose when holds is taken.'),
});

export interface OptInput {
  opt: BranchInput;
}
export const OptSchema: z.ZodType<OptInput> = z.strictObject({
  opt: BranchSchema.describe('Steps that happen only when its when holds, or that may happen when it has none.'),
});

export interface LabelledBlockInput {
  label: string;
  steps: StepInput[];
  color?: (typeof COLORS)[number];
}
const LabelledBlockSchema: z.ZodType<LabelledBlockInput> = z.strictObject({ label: Text, steps: Steps, color: Color.optional() });

export interface LoopInput {
  loop: LabelledBlockInput;
}
export const LoopSchema: z.ZodType<LoopInput> = z.strictObject({ loop: LabelledBlockSchema.describe('Steps that repeat.') });

export interface ParInput {
  par: { label?: string; steps: StepInput[]; color?: (typeof COLORS)[number] }[];
}
export const ParSchema: z.ZodType<ParInput> = z.strictObject({
  par: z
    .array(z.strictObject({ label: Text.optional(), steps: Steps, color: Color.optional() }))
    .min(2)
    .describe('Branches that run at the same time; at least two.'),
});

export interface GroupInput {
  group: LabelledBlockInput;
}
export const GroupSchema: z.ZodType<GroupInput> = z.strictObject({ group: LabelledBlockSchema.describe('Steps drawn in a labelled box.') });

export interface CriticalInput {
  critical: LabelledBlockInput;
}
export const CriticalSchema: z.ZodType<CriticalInput> = z.strictObject({
  critical: LabelledBlockSchema.describe('Steps that must happen together, atomically.'),
});

export interface BreakInput {
  break: BranchInput;
}
export const BreakSchema: z.ZodType<BreakInput> = z.strictObject({
  break: z
    .strictObject({
      when: ConditionSchema.optional().describe('When it happens; without it, it may or may not happen.'),
      label: Text.optional().describe('Shown label; defaults to the condition in words.'),
      steps: Steps,
      color: Color.optional(),
    })
    .describe('An exception: when it happens, its steps run and the flow ends there.'),
});

export const DestroySchema = z.strictObject({
  destroy: Id.describe('The participant whose lifeline ends here (drawn with a cross); nothing reaches it afterwards.'),
});
export type DestroyInput = z.infer<typeof DestroySchema>;

export const IncludeSchema = z.strictObject({
  include: Text.describe('Another spec, by its path relative to this file, optionally with #phase-id: its flow (or that phase) is drawn here.'),
  with: z.record(Id, ValueId).optional().describe("The included spec's participant id → a participant here; its variable id → the value it takes here."),
  collapse: z.boolean().optional().describe('Draw the included flow as one reference box over its participants.'),
  label: Text.optional().describe("The reference box's label (with collapse); defaults to the included flow's or phase's title."),
});
export type IncludeInput = z.infer<typeof IncludeSchema>;

export const DelaySchema = z.strictObject({
  delay: z.union([Text, z.literal(true)]).describe('Time passes here: what is said of it ("5 minutes later"), or true for none.'),
});
export type DelayInput = z.infer<typeof DelaySchema>;

export const StepSchema: z.ZodType<StepInput> = z.union([
  MessageSchema.meta({ title: 'message step' }),
  ActionSchema.meta({ title: 'action step' }),
  NoteSchema.meta({ title: 'note step' }),
  AltSchema.meta({ title: 'alt step' }),
  OptSchema.meta({ title: 'opt step' }),
  LoopSchema.meta({ title: 'loop step' }),
  ParSchema.meta({ title: 'par step' }),
  GroupSchema.meta({ title: 'group step' }),
  IncludeSchema.meta({ title: 'include step' }),
  DelaySchema.meta({ title: 'delay step' }),
  CriticalSchema.meta({ title: 'critical step' }),
  BreakSchema.meta({ title: 'break step' }),
  DestroySchema.meta({ title: 'destroy step' }),
]);

/**
 * The lists of steps a step holds, with their data paths: a branch's, a block's body. Walks over
 * the spec as written (before lowering) go through it instead of knowing each block kind.
 */
export function innerStepInputs(step: StepInput, path: readonly (string | number)[]): [StepInput[], (string | number)[]][] {
  if ('alt' in step) return step.alt.map((branch, i) => [branch.steps, [...path, 'alt', i, 'steps']]);
  if ('par' in step) return step.par.map((branch, i) => [branch.steps, [...path, 'par', i, 'steps']]);
  if ('opt' in step) return [[step.opt.steps, [...path, 'opt', 'steps']]];
  if ('loop' in step) return [[step.loop.steps, [...path, 'loop', 'steps']]];
  if ('group' in step) return [[step.group.steps, [...path, 'group', 'steps']]];
  if ('critical' in step) return [[step.critical.steps, [...path, 'critical', 'steps']]];
  if ('break' in step) return [[step.break.steps, [...path, 'break', 'steps']]];
  return [];
}

export const PhaseSchema = z.strictObject({
  title: Text.describe('Drawn as a divider.'),
  id: Id.optional().describe('Unique id, for references; not drawn.'),
  steps: Steps,
});

export const ParticipantGroupSchema = z.strictObject({
  label: Text.optional().describe('Drawn at the top of the box; defaults to the id.'),
  members: z.array(Id).min(1).describe('The participants in the box, drawn next to each other.'),
  color: Color.optional(),
});

/** One scenario to draw: a value for some variables (the others take their default), and its name. */
export const DeclaredScenarioSchema = z.strictObject({
  title: Text.optional().describe("Replaces the list of values in the diagram's title and the matrix."),
  values: z.record(Id, ValueId).optional().describe('Variable id → value id; variables not named take their default.'),
});

/** Which combinations of values enumeration draws: all but the excluded ones, or only those listed. */
export const ScenariosSchema = z
  .strictObject({
    exclude: z.array(ConditionSchema).min(1).optional().describe('Combinations of values that are impossible or not worth drawing.'),
    only: z.array(DeclaredScenarioSchema).min(1).optional().describe('Exactly the scenarios to draw, in order.'),
  })
  // For the JSON Schema only: `validate` reports an empty `scenarios` itself (PF206, check-references.ts).
  .meta({ minProperties: 1 });

export const SpecSchema = z
  .strictObject({
    protoflow: z.literal(1).describe('Format version: 1.'),
    title: Text.optional().describe('Diagram title; without it, none is drawn.'),
    description: Text.optional().describe('Free text for the reader of the spec; not drawn.'),
    theme: z
      .enum(THEMES)
      .optional()
      .describe(
        "How this spec's images are coloured: light, dark, or auto (one SVG that follows the reader's light or dark mode; its PNG is light). Default: the project's theme (--theme, config), else light.",
      ),
    numbering: z
      .enum(NUMBERINGS)
      .optional()
      .describe(
        'none (default), flat (1, 2, 3 through the flow) or phase (2.1, 2.2: phase.message); numbers are given on the full flow, so a message keeps its number in every scenario.',
      ),
    participants: z.record(Id, ParticipantSchema).describe('Participant id → participant, drawn left to right in this order.'),
    groups: z
      .record(Id, ParticipantGroupSchema)
      .optional()
      .describe('Boxes around participants that belong together (a device, a provider); a participant is in at most one.'),
    variables: z.record(Id, VariableSchema).optional().describe('The dimensions along which the flow has alternatives.'),
    scenarios: ScenariosSchema.optional().describe('Which combinations of values --all-scenarios and the presence matrix show.'),
    trace: SpecTraceSchema.optional(),
    phases: z.array(PhaseSchema).min(1).optional().describe('The flow, in order, in phases drawn with dividers (or steps: for a flow without them).'),
    steps: Steps.optional().describe('The flow, in order, without dividers (instead of phases).'),
  })
  // For the JSON Schema only: `validate` reports both or neither itself (PF211, PF202, check-references.ts).
  .meta({
    oneOf: [
      { required: ['phases'], properties: { phases: {} } },
      { required: ['steps'], properties: { steps: {} } },
    ],
  });
export type SpecInput = z.infer<typeof SpecSchema>;

/** The flow's lists of steps, with their paths: each phase's, or the top-level `steps`. */
export function flowStepLists(spec: Pick<SpecInput, 'phases' | 'steps'>): [StepInput[], (string | number)[]][] {
  if (spec.steps) return [[spec.steps, ['steps']]];
  return (spec.phases ?? []).map((phase, index) => [phase.steps, ['phases', index, 'steps']]);
}
