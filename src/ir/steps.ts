import type { Action, Message, Ref, Step } from './types.js';

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
      case 'note':
        return [];
      case 'alt':
      case 'par':
        return step.branches.flatMap((b) => drawnSteps(b.steps));
      default:
        return drawnSteps(step.steps);
    }
  });
}

/** Every message and action among the steps, in the order written, branches, blocks and collapsed includes included. */
export function messagesAndActions(steps: readonly Step[]): (Message | Action)[] {
  return drawnSteps(steps).flatMap((step) => (step.kind === 'ref' ? messagesAndActions(step.steps) : [step]));
}

/** Every step, blocks before what they hold, branches and collapsed includes included, in the order written. */
export function everyStep(steps: readonly Step[]): Step[] {
  return steps.flatMap((step) => {
    if (step.kind === 'alt' || step.kind === 'par') return [step, ...step.branches.flatMap((b) => everyStep(b.steps))];
    return 'steps' in step ? [step, ...everyStep(step.steps)] : [step];
  });
}
