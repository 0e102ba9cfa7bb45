import { mermaidEngine } from './mermaid/engine.js';
import { plantumlEngine } from './plantuml/engine.js';
import type { Engine, EngineName } from './renderer.js';

export const ENGINES: Readonly<Record<EngineName, Engine>> = { plantuml: plantumlEngine, mermaid: mermaidEngine };
