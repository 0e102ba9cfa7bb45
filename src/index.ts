export { compileSpec, type CompiledSpec } from './spec/load-spec.js';
export { build, type BuildOptions, type BuildReport } from './build/build.js';
export { generate } from './targets/engine.js';
export { TARGETS, findTarget } from './targets/registry.js';
export { sequenceView, type SequenceView } from './views/sequence.js';
export type { Target } from './targets/target.js';
export type * from './ir/types.js';
export { DiagnosticCodes, type Diagnostic, type Span } from './diagnostics/diagnostic.js';
export { formatDiagnostics, diagnosticsToJson } from './diagnostics/format.js';
