import { mermaidFlowchart } from './mermaid-flowchart.js';
import { mermaidSequence } from './mermaid-sequence.js';
import { plantumlActivity } from './plantuml-activity.js';
import { plantumlSequence } from './plantuml-sequence.js';
import type { Target } from './target.js';

/** Every target, in the order `build` writes them. */
export const TARGETS: readonly Target[] = [plantumlSequence, mermaidSequence, mermaidFlowchart, plantumlActivity];

export function findTarget(name: string): Target | undefined {
  return TARGETS.find((t) => t.name === name);
}
