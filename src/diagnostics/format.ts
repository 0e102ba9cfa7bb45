import { codeFrameColumns } from '@babel/code-frame';
import { hasErrors, type Diagnostic } from './diagnostic.js';

export interface FormatOptions {
  /** Source text by file name, for code frames. */
  sources: ReadonlyMap<string, string>;
  color: boolean;
}

/** `file:line:col error CODE message`, then the hint and a code frame. */
export function formatDiagnostic(d: Diagnostic, options: FormatOptions): string {
  const where = d.span ? `${d.span.file}:${d.span.line}:${d.span.column} ` : '';
  const lines = [`${where}${d.severity} ${d.code} ${d.message}`];
  for (const site of d.span?.includedFrom ?? []) lines.push(`  included from ${site.file}:${site.line}:${site.column}`);
  if (d.hint) lines.push(`  hint: ${d.hint}`);
  const source = d.span && options.sources.get(d.span.file);
  if (d.span && source !== undefined) {
    const end =
      d.span.endLine !== undefined && d.span.endColumn !== undefined && d.span.endLine === d.span.line
        ? { line: d.span.endLine, column: d.span.endColumn }
        : undefined;
    const frame = codeFrameColumns(
      source,
      { start: { line: d.span.line, column: d.span.column }, ...(end ? { end } : {}) },
      { highlightCode: options.color, forceColor: options.color, linesAbove: 1, linesBelow: 1 },
    );
    lines.push(frame);
  }
  return lines.join('\n');
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[], options: FormatOptions): string {
  return diagnostics.map((d) => formatDiagnostic(d, options)).join('\n\n');
}

/** Machine-readable form: one JSON document with every diagnostic, `ok` and what the command adds. */
export function diagnosticsToJson(diagnostics: readonly Diagnostic[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ok: !hasErrors(diagnostics), diagnostics, ...extra }, null, 2);
}
