import { RenderSession } from '../../src/render/session.js';
import { DRAWN_TARGETS } from '../../src/targets/registry.js';
import { svgTexts } from './images.js';
import { HOST } from './host.js';

export interface PlantUmlResult {
  ok: boolean;
  /** PlantUML's complaint and its 1-based line, when the diagram did not parse. */
  error?: string;
  /** Every text element of the SVG, decoded. */
  texts: string[];
}

/** The two ways protoflow draws PlantUML: the jar in one JVM, and @plantuml/core in Chromium. */
export const PLANTUML_DRAWERS = ['java', 'browser'] as const;

/** Every target with PlantUML in the JVM, then the PlantUML targets again with @plantuml/core in the browser. */
export const ENGINE_RUNS = [
  { plantumlEngine: 'java', targets: DRAWN_TARGETS },
  { plantumlEngine: 'browser', targets: DRAWN_TARGETS.filter((t) => t.engine === 'plantuml') },
] as const;

/**
 * Draws many diagrams as SVG with protoflow's own PlantUML renderer, as the build runs it: the
 * real jar in one JVM (`-pipe`), or the same PlantUML compiled to JavaScript in the browser.
 */
export async function renderPlantUml(sources: readonly string[], plantumlEngine: (typeof PLANTUML_DRAWERS)[number] = 'java'): Promise<PlantUmlResult[]> {
  const session = new RenderSession(120_000, { plantumlEngine }, HOST);
  const renderer = session.renderer('plantuml');
  try {
    const outcomes = await Promise.all(sources.map((source, i) => renderer.render({ name: `test-${i}`, source, config: {}, formats: ['svg'] })));
    return outcomes.map((outcomes) => {
      const outcome = outcomes.get('svg')!;
      if (outcome.kind === 'image') return { ok: true, texts: svgTexts(Buffer.from(outcome.data).toString('utf8')) };
      if (outcome.kind === 'rejected') return { ok: false, error: `line ${outcome.line ?? '?'}: ${outcome.message}`, texts: [] };
      throw new Error(`PlantUML did not draw: ${JSON.stringify(outcome)}`);
    });
  } finally {
    await session.close();
  }
}
