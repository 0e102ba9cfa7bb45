import { mermaidSequence } from './mermaid-sequence.js';
import { plantumlSequence } from './plantuml-sequence.js';
import type { Target } from './target.js';

/** Every target, in the order `build` writes them. */
export const TARGETS: readonly Target[] = [plantumlSequence, mermaidSequence];

export function findTarget(name: string): Target | undefined {
  return TARGETS.find((t) => t.name === name);
}
