import { z } from 'zod';

/** Ids name things for the spec author; targets never write them raw into a diagram. */
export const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** C0 controls other than line breaks, and DEL: no diagram can show them. */
export const NO_CONTROL_CHARACTERS = /^[^\x00-\x09\x0b\x0c\x0e-\x1f\x7f]*$/;

const Id = z.string().regex(ID_PATTERN);
/** Something to draw: a text of only spaces (or nothing) is a syntax error in some diagram statements. */
export const NOT_BLANK = /\S/;

/** Text the reader sees, character for character. */
const Text = z.string().regex(NO_CONTROL_CHARACTERS).regex(NOT_BLANK);
const OneOrMore = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]);

export const PARTICIPANT_KINDS = ['actor', 'service', 'database', 'queue', 'external'] as const;
export const ARROWS = ['sync', 'async', 'reply', 'both'] as const;
export const NOTE_SIDES = ['left', 'right', 'over'] as const;

export const ParticipantSchema = z.strictObject({
  label: Text.optional(),
  kind: z.enum(PARTICIPANT_KINDS).optional(),
});

export const VariableSchema = z.strictObject({
  label: Text.optional(),
  values: z.record(Id, Text),
  default: Id.optional(),
});

/** Variable id → one value id or a list of them; every entry must hold. */
export const ConditionSchema = z.record(Id, OneOrMore(Id));

// Step kinds, in the order of the StepSchema union (diagnostics rely on this order).
export const STEP_KINDS = ['message', 'action', 'note', 'alt', 'opt', 'loop', 'par', 'group'] as const;

export type StepInput =
  | MessageInput
  | ActionInput
  | NoteInput
  | AltInput
  | OptInput
  | LoopInput
  | ParInput
  | GroupInput;

const Steps: z.ZodType<StepInput[]> = z.lazy(() => z.array(StepSchema).min(1));

export const MessageSchema = z.strictObject({
  message: Text,
  from: Id,
  to: Id,
  id: Id.optional(),
  code: z.union([z.number().int(), z.string()]).optional(),
  fields: z.array(Text).optional(),
  arrow: z.enum(ARROWS).optional(),
  abstract: z.boolean().optional(),
  encrypted: Text.optional(),
});
export type MessageInput = z.infer<typeof MessageSchema>;

export const ActionSchema = z.strictObject({ action: Text, by: Id, id: Id.optional() });
export type ActionInput = z.infer<typeof ActionSchema>;

export const NoteSchema = z.strictObject({
  note: Text,
  at: OneOrMore(Id),
  side: z.enum(NOTE_SIDES).optional(),
});
export type NoteInput = z.infer<typeof NoteSchema>;

export interface BranchInput {
  when?: Record<string, string | string[]>;
  label?: string;
  steps: StepInput[];
}
const BranchSchema: z.ZodType<BranchInput> = z.strictObject({
  when: ConditionSchema.optional(),
  label: Text.optional(),
  steps: Steps,
});

export interface AltInput {
  alt: BranchInput[];
}
export const AltSchema: z.ZodType<AltInput> = z.strictObject({ alt: z.array(BranchSchema).min(1) });

export interface OptInput {
  opt: BranchInput;
}
export const OptSchema: z.ZodType<OptInput> = z.strictObject({ opt: BranchSchema });

export interface LabelledBlockInput {
  label: string;
  steps: StepInput[];
}
const LabelledBlockSchema: z.ZodType<LabelledBlockInput> = z.strictObject({ label: Text, steps: Steps });

export interface LoopInput {
  loop: LabelledBlockInput;
}
export const LoopSchema: z.ZodType<LoopInput> = z.strictObject({ loop: LabelledBlockSchema });

export interface ParInput {
  par: { label?: string; steps: StepInput[] }[];
}
export const ParSchema: z.ZodType<ParInput> = z.strictObject({
  par: z.array(z.strictObject({ label: Text.optional(), steps: Steps })).min(2),
});

export interface GroupInput {
  group: LabelledBlockInput;
}
export const GroupSchema: z.ZodType<GroupInput> = z.strictObject({ group: LabelledBlockSchema });

export const StepSchema: z.ZodType<StepInput> = z.union([
  MessageSchema,
  ActionSchema,
  NoteSchema,
  AltSchema,
  OptSchema,
  LoopSchema,
  ParSchema,
  GroupSchema,
]);

export const PhaseSchema = z.strictObject({
  title: Text,
  id: Id.optional(),
  steps: Steps,
});

/** One scenario to draw: a value for some variables (the others take their default), and its name. */
export const DeclaredScenarioSchema = z.strictObject({
  title: Text.optional(),
  values: z.record(Id, Id).optional(),
});

/** Which combinations of values enumeration draws: all but the excluded ones, or only those listed. */
export const ScenariosSchema = z.strictObject({
  exclude: z.array(ConditionSchema).min(1).optional(),
  only: z.array(DeclaredScenarioSchema).min(1).optional(),
});

export const SpecSchema = z.strictObject({
  protoflow: z.literal(1),
  title: Text,
  description: Text.optional(),
  participants: z.record(Id, ParticipantSchema),
  variables: z.record(Id, VariableSchema).optional(),
  scenarios: ScenariosSchema.optional(),
  phases: z.array(PhaseSchema).min(1),
});
export type SpecInput = z.infer<typeof SpecSchema>;
