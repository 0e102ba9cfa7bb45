/** A position in a source file; line and column are 1-based. */
export interface Span {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** When the file was included by another spec: the include steps that brought it in, the nearest first. */
  includedFrom?: Span[];
}

export type Severity = 'error' | 'warning';

/**
 * Stable diagnostic codes. Codes are part of the public interface (users grep for them,
 * CI scripts match them), so an existing code never changes meaning.
 */
export const DiagnosticCodes = {
  // PF0xx: reading files and the command line
  FILE_UNREADABLE: 'PF001',
  NO_SPECS_FOUND: 'PF002',
  OUTPUT_FAILED: 'PF003',
  TEMPLATE_FAILED: 'PF004',
  UNKNOWN_SCENARIO: 'PF005',
  FILE_ENCODING: 'PF006',
  // PF1xx: YAML syntax and the YAML features a spec may not use
  YAML_SYNTAX: 'PF101',
  YAML_DUPLICATE_KEY: 'PF102',
  YAML_TAB: 'PF103',
  YAML_ALIAS_EXPLOSION: 'PF104',
  YAML_MERGE_KEY: 'PF105',
  YAML_CUSTOM_TAG: 'PF106',
  YAML_MULTIPLE_DOCUMENTS: 'PF107',
  YAML_EMPTY: 'PF108',
  // PF2xx: the shape of a spec (schema)
  UNKNOWN_KEY: 'PF201',
  MISSING_KEY: 'PF202',
  WRONG_TYPE: 'PF203',
  INVALID_ID: 'PF204',
  INVALID_VALUE: 'PF205',
  EMPTY_LIST: 'PF206',
  UNKNOWN_STEP_KIND: 'PF207',
  UNSUPPORTED_VERSION: 'PF208',
  CONTROL_CHARACTER: 'PF209',
  BLANK_TEXT: 'PF210',
  STEPS_AND_PHASES: 'PF211',
  // PF3xx: meaning (references between parts of a spec)
  UNDECLARED_PARTICIPANT: 'PF301',
  UNDECLARED_VARIABLE: 'PF302',
  UNDECLARED_VALUE: 'PF303',
  DUPLICATE_ID: 'PF304',
  EMPTY_BRANCH: 'PF305',
  ELSE_NOT_LAST: 'PF306',
  DUPLICATE_VALUE: 'PF307',
  EMPTY_CONDITION: 'PF308',
  NO_SCENARIO_LEFT: 'PF309',
  DUPLICATE_SCENARIO: 'PF310',
  ONLY_AND_EXCLUDE: 'PF311',
  UNREACHABLE_BRANCH: 'PF312',
  NO_BRANCH_FOR_VALUE: 'PF313',
  TOO_MANY_SCENARIOS: 'PF314',
  PARTICIPANT_IN_TWO_GROUPS: 'PF315',
  ACTIVATION_LEFT_OPEN: 'PF316',
  NOTHING_TO_DEACTIVATE: 'PF317',
  BEFORE_CREATION: 'PF318',
  AFTER_DESTRUCTION: 'PF319',
  CREATES_PRESENT_PARTICIPANT: 'PF320',
  LOST_MESSAGE_ACTIVATES: 'PF321',
  // PF4xx: rendering images
  RENDER_REJECTED: 'PF401',
  RENDERER_MISSING: 'PF402',
  RENDER_TIMEOUT: 'PF403',
  RENDER_FAILED: 'PF404',
  PNG_TOO_LARGE: 'PF405',
  PNG_WITHOUT_PALETTE: 'PF406',
  // PF5xx: Markdown embedding
  DOCS_MARKER: 'PF501',
  DOCS_REGION: 'PF502',
  // PF6xx: recorded traces and conformance
  TRACE_FORMAT: 'PF601',
  TRACE_MALFORMED: 'PF602',
  TRACE_INCOMPLETE: 'PF603',
  UNKNOWN_SIDE: 'PF604',
  NOTHING_TO_COMPARE: 'PF605',
  TOO_LARGE_TO_COMPARE: 'PF606',
  TSHARK_MISSING: 'PF607',
  TSHARK_FAILED: 'PF608',
  // PF7xx: includes (one spec drawing another's flow)
  INCLUDE_NOT_FOUND: 'PF701',
  INCLUDE_OUTSIDE_ROOT: 'PF702',
  INCLUDE_CYCLE: 'PF703',
  INCLUDE_UNKNOWN_PHASE: 'PF704',
  INCLUDE_MAPPING: 'PF705',
  INCLUDE_VARIABLE: 'PF706',
  INCLUDE_TOO_LARGE: 'PF707',
} as const;

export type DiagnosticCode = (typeof DiagnosticCodes)[keyof typeof DiagnosticCodes];

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  span?: Span;
  /** A suggestion shown after the message, e.g. a did-you-mean. */
  hint?: string;
}

export function error(code: DiagnosticCode, message: string, span?: Span, hint?: string): Diagnostic {
  return { code, severity: 'error', message, ...(span ? { span } : {}), ...(hint ? { hint } : {}) };
}

export function warning(code: DiagnosticCode, message: string, span?: Span, hint?: string): Diagnostic {
  return { ...error(code, message, span, hint), severity: 'warning' };
}

/** What went wrong with a file operation, for a message: the error code (`ENOENT`), else the error. */
export function failureReason(cause: unknown): string {
  return cause instanceof Error && 'code' in cause ? String(cause.code) : String(cause);
}

export function errorCount(diagnostics: readonly Diagnostic[]): number {
  return diagnostics.filter((d) => d.severity === 'error').length;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Source order: by file, then line, then column; diagnostics without a span first. Locale-independent. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    if (!a.span || !b.span) return (a.span ? 1 : 0) - (b.span ? 1 : 0);
    const byFile = a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : 0;
    return byFile || a.span.line - b.span.line || a.span.column - b.span.column;
  });
}

/**
 * Each problem once: a part of a spec reached twice (through a YAML alias, or through two union
 * alternatives) would otherwise be reported twice.
 */
export function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const at = d.span ? [d.span.file, d.span.line, d.span.column, d.span.includedFrom] : null;
    const key = `${d.code}|${d.message}|${JSON.stringify(at)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The outcome of a pipeline stage: a value when the stage could produce one, and what it found. */
export interface Result<T> {
  value?: T;
  diagnostics: Diagnostic[];
}
