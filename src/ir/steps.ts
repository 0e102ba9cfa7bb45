import type { Action, Message, Ref, Step } from './types.js';

/**
 * The lists of steps a step holds, in the order written: an alt's or par's branches, the body of
 * an opt, loop or group, what a collapsed include (`ref`) stands for; none for a message, action
 * or note. Walks that treat every block alike go through it instead of knowing each kind.
 */
export function innerSteps(step: Step): readonly (readonly Step[])[] {
  switch (step.kind) {
    case 'alt':
    case 'par':
      return step.branches.map((branch) => branch.steps);
    case 'opt':
    case 'loop':
    case 'group':
    case 'critical':
    case 'break':
    case 'ref':
      return [step.steps];
    default:
      return [];
  }
}

/** The step with the lists of steps it holds replaced, given in `innerSteps` order. */
export function withInnerSteps(step: Step, lists: readonly Step[][]): Step {
  switch (step.kind) {
    case 'alt':
      return { ...step, branches: step.branches.map((branch, i) => ({ ...branch, steps: lists[i]! })) };
    case 'par':
      return { ...step, branches: step.branches.map((branch, i) => ({ ...branch, steps: lists[i]! })) };
    case 'opt':
    case 'loop':
    case 'group':
    case 'critical':
    case 'break':
    case 'ref':
      return { ...step, steps: lists[0]! };
    default:
      return step;
  }
}

/**
 * Every message, action and reference box among the steps, as a reader sees them: in the order
 * written, branches and blocks included, a collapsed include (`ref`) as one step.
 */
export function drawnSteps(steps: readonly Step[]): (Message | Action | Ref)[] {
  return steps.flatMap((step) => {
    switch (step.kind) {
      case 'message':
      case 'action':
      case 'ref':
        return [step];
      default:
        return innerSteps(step).flatMap(drawnSteps);
    }
  });
}

/** Every message and action among the steps, in the order written, branches, blocks and collapsed includes included. */
export function messagesAndActions(steps: readonly Step[]): (Message | Action)[] {
  return drawnSteps(steps).flatMap((step) => (step.kind === 'ref' ? messagesAndActions(step.steps) : [step]));
}

/** Every step, blocks before what they hold, branches and collapsed includes included, in the order written. */
export function everyStep(steps: readonly Step[]): Step[] {
  return steps.flatMap((step) => [step, ...innerSteps(step).flatMap(everyStep)]);
}

/** The participants a step itself draws or names (not those of the steps it holds). */
export function participantsOf(step: Step): readonly string[] {
  switch (step.kind) {
    case 'message':
      return [step.from, step.to];
    case 'action':
      return [step.by];
    case 'note':
      return step.at;
    case 'ref':
      return step.over;
    case 'destroy':
      return [step.participant];
    default:
      return [];
  }
}
