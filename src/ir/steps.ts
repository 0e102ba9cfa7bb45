import type { Step } from './types.js';

/** Every message and action among the steps, in the order written, branches and blocks included. */
export function messagesAndActions(steps: readonly Step[]): Extract<Step, { kind: 'message' | 'action' }>[] {
  return steps.flatMap((step) => {
    switch (step.kind) {
      case 'message':
      case 'action':
        return [step];
      case 'note':
        return [];
      case 'alt':
      case 'par':
        return step.branches.flatMap((b) => messagesAndActions(b.steps));
      default:
        return messagesAndActions(step.steps);
    }
  });
}
