import { dedupe, hasErrors, sortDiagnostics, type Result } from '../diagnostics/diagnostic.js';
import { lower } from '../ir/lower.js';
import type { FlowIR } from '../ir/types.js';
import type { SourceFile } from '../source/source-file.js';
import { parseYaml, type Locator } from '../source/yaml.js';
import { checkScenarios } from '../scenarios/check-scenarios.js';
import { checkReferences } from './check-references.js';
import { validateShape } from './validate-shape.js';

export interface CompiledSpec {
  flow: FlowIR;
  /** file:line:col of any part of the flow (its `source` path), computed on demand. */
  locate: Locator;
}

/** Source text → IR: YAML checks, then shape, then references, then scenarios; every problem of the file at once. */
export function compileSpec(file: SourceFile): Result<CompiledSpec> {
  const parsed = parseYaml(file);
  if (!parsed.value) return { diagnostics: sortDiagnostics(parsed.diagnostics) };
  const { data, locate } = parsed.value;
  const shape = validateShape(data, locate);
  const checked = shape.spec ?? shape.salvaged;
  const diagnostics = sortDiagnostics(dedupe([...shape.diagnostics, ...(checked ? checkReferences(checked, locate) : [])]));
  if (!shape.spec || hasErrors(diagnostics)) return { diagnostics };
  const flow = lower(shape.spec);
  const scenarios = checkScenarios(flow, locate);
  const all = sortDiagnostics([...diagnostics, ...scenarios]);
  return hasErrors(scenarios) ? { diagnostics: all } : { value: { flow, locate }, diagnostics: all };
}
