import { dirname, resolve } from 'node:path';
import { dedupe, hasErrors, sortDiagnostics, type Result } from '../diagnostics/diagnostic.js';
import { lower } from './lower.js';
import type { FlowIR } from '../ir/types.js';
import type { SourceFile } from '../source/source-file.js';
import { parseYaml, type Locator } from '../source/yaml.js';
import { checkLifelines } from '../scenarios/check-lifelines.js';
import { checkScenarios } from '../scenarios/check-scenarios.js';
import { checkReferences } from './check-references.js';
import { realOrAsIs } from './include-path.js';
import { locateThrough, resolveIncludes, type IncludeContext, type IncludedFile } from './includes.js';
import { validateShape } from './validate-shape.js';

export interface CompiledSpec {
  flow: FlowIR;
  /** file:line:col of any part of the flow (its `source` path), computed on demand; parts of included specs are found in their files. */
  locate: Locator;
}

/** A compiled spec, with every file its includes read, transitively (its outputs depend on them too), also when it has errors. */
export type CompileResult = Result<CompiledSpec> & { files: readonly IncludedFile[] };

/**
 * Source text → IR: YAML checks, then shape, then references and includes, then scenarios; every
 * problem of the file at once. `file.name` is the spec's path, relative to the working folder `cwd`;
 * its includes resolve against it and must stay inside `file.root`.
 */
export function compileSpec(file: SourceFile, cwd: string): CompileResult {
  const path = realOrAsIs(resolve(cwd, file.name));
  const root = realOrAsIs(resolve(cwd, file.root ?? dirname(resolve(cwd, file.name))));
  return compileWithin(file, { file: path, root, cwd, chain: [{ real: path, name: file.name }], compiled: new Map() });
}

function compileWithin(file: SourceFile, context: IncludeContext): CompileResult {
  const parsed = parseYaml(file);
  if (!parsed.value) return { diagnostics: sortDiagnostics(parsed.diagnostics), files: [] };
  const { data, locate } = parsed.value;
  const shape = validateShape(data, locate);
  const checked = shape.spec ?? shape.salvaged;
  const includes = shape.spec ? resolveIncludes(shape.spec, locate, context, compileWithin) : undefined;
  const references = checked ? checkReferences(checked, locate, includes?.variables) : [];
  const diagnostics = sortDiagnostics(dedupe([...shape.diagnostics, ...references, ...(includes?.diagnostics ?? [])]));
  const files = includes?.files ?? [];
  if (!shape.spec || !includes || hasErrors(diagnostics)) return { diagnostics, files };
  const flow = lower(shape.spec, includes);
  const locateAll = locateThrough(locate, includes.sites);
  const scenarios = checkScenarios(flow, locateAll);
  if (!hasErrors(scenarios)) scenarios.push(...checkLifelines(flow, locateAll));
  const all = sortDiagnostics([...diagnostics, ...scenarios]);
  return hasErrors(scenarios) ? { diagnostics: all, files } : { value: { flow, locate: locateAll }, diagnostics: all, files };
}
