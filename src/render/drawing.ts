import type { Host } from '../shared/host.js';
import { plantUmlDrawer } from './plantuml/engine.js';
import { findPngPalette } from './png-palette.js';
import { DEFAULT_DRAWING, type DrawingChoices, type ResolvedDrawing } from './renderer.js';

/** Decides `auto` (is there a Java in this environment?) and the PNG palette once; choices already decided are kept as they are. */
export function resolveDrawing(choices: DrawingChoices | ResolvedDrawing = DEFAULT_DRAWING, env: Host['env']): ResolvedDrawing {
  return 'plantumlDrawer' in choices ? choices : { ...choices, plantumlDrawer: plantUmlDrawer(choices, env), pngPalette: findPngPalette().kind };
}
