import { mermaidFlowchart } from './mermaid-flowchart.js';
import { mermaidSequence } from './mermaid-sequence.js';
import { plantumlActivity } from './plantuml-activity.js';
import { plantumlSequence } from './plantuml-sequence.js';
import { isDrawn, type Target } from './target.js';
import { textSequence } from './text-sequence.js';
import { textSequenceUnicode } from './text-sequence-unicode.js';

/** Every target, in the order `build` writes them. */
export const TARGETS: readonly Target[] = [plantumlSequence, mermaidSequence, mermaidFlowchart, plantumlActivity, textSequence, textSequenceUnicode];

export function findTarget(name: string): Target | undefined {
  return TARGETS.find((t) => t.name === name);
}

/** The targets drawn as images. */
export const DRAWN_TARGETS = TARGETS.filter(isDrawn);
