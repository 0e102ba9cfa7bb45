import { RenderSession } from '../../src/render/session.js';
import { svgTexts } from './images.js';

export interface PlantUmlResult {
  ok: boolean;
  /** PlantUML's complaint and its 1-based line, when the diagram did not parse. */
  error?: string;
  /** Every text element of the SVG, decoded. */
  texts: string[];
}

/** The two ways protoflow draws PlantUML: the jar in one JVM, and @plantuml/core in Chromium. */
export const PLANTUML_ENGINES = ['java', 'browser'] as const;

/**
 * Draws many diagrams as SVG with protoflow's own PlantUML renderer, as the build runs it: the
 * real jar in one JVM (`-pipe`), or the same PlantUML compiled to JavaScript in the browser.
 */
export async function renderPlantUml(sources: readonly string[], plantumlEngine: (typeof PLANTUML_ENGINES)[number] = 'java'): Promise<PlantUmlResult[]> {
  const session = new RenderSession(120_000, { plantumlEngine });
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
