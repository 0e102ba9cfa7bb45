import type { Engine, Renderer, RendererSettings, RenderOutcome } from '../renderer.js';
import { findJava } from './find-java.js';
import { plantUmlJar } from './jar.js';
import { PLANTUML_LIMIT_SIZE, PlantUmlPipe } from './pipe.js';

/** Bump when a change to the drawing code here changes the images, so that they are drawn again. */
const REVISION = 1;

/** PlantUML from the jar in node_modules, in one warm JVM for every diagram and format. */
export const plantumlEngine: Engine = {
  name: 'plantuml',
  label: 'PlantUML',
  fingerprint() {
    const jar = plantUmlJar();
    return { plantuml: 'version' in jar ? jar.version : 'missing', revision: REVISION, limitSize: PLANTUML_LIMIT_SIZE, security: 'SANDBOX', graphviz: 'none' };
  },
  start(settings: RendererSettings): Renderer {
    let pipe: PlantUmlPipe | { problem: string } | undefined;
    let closed = false;
    const open = () => {
      const jar = plantUmlJar();
      if ('problem' in jar) return jar;
      const java = findJava();
      if ('problem' in java) return java;
      return new PlantUmlPipe(java.path, jar.path, settings.timeoutMs);
    };
    return {
      async render({ source, formats }) {
        pipe ??= open();
        const outcomes = new Map<(typeof formats)[number], RenderOutcome>();
        for (const format of formats) {
          if (closed) outcomes.set(format, { kind: 'cancelled' });
          else if ('problem' in pipe) outcomes.set(format, { kind: 'unavailable', message: pipe.problem });
          else outcomes.set(format, await pipe.render(source, format));
        }
        return outcomes;
      },
      async close() {
        closed = true;
        if (pipe instanceof PlantUmlPipe) await pipe.close();
      },
    };
  },
};
