import { describe, expect, it } from 'vitest';
import { parseMermaid } from './support/mermaid.js';
import { PLANTUML_DRAWERS, renderPlantUml } from './support/plantuml.js';

// The parser checks elsewhere are only worth something if the real parsers do reject broken input.
describe('the real-parser harness rejects broken diagrams', () => {
  it.each(PLANTUML_DRAWERS)('PlantUML in %s: a broken diagram between two good ones is reported with its line', async (engine) => {
    const good = '@startuml\na -> b : hi\n@enduml\n';
    const results = await renderPlantUml([good, '@startuml\na -> b : hi\nthis is not plantuml\n@enduml\n', good], engine);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]!.error).toMatch(/^line 3: Syntax Error/);
    expect(results[0]!.texts).toContain('hi');
  });

  it('Mermaid: a broken sequence diagram fails to parse', async () => {
    expect((await parseMermaid('sequenceDiagram\n  A->>B: ok\n')).ok).toBe(true);
    const broken = await parseMermaid('sequenceDiagram\n  participant end\n  end->>B: x\n');
    expect(broken.ok).toBe(false);
    expect(broken.error).toContain('Parse error');
  });
});
