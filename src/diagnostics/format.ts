import { codeFrameColumns } from '@babel/code-frame';
import { hasErrors, type Diagnostic } from './diagnostic.js';

export interface FormatOptions {
  /** Source text by file name, for code frames. */
  sources: ReadonlyMap<string, string>;
  color: boolean;
}

/**
 * Control characters as text (`\x1b`), so that a spec, a comment in it or a trace cannot move the
 * cursor, clear the screen or print a fake summary on the terminal that shows the diagnostics.
 * Line breaks and tabs stay; a CRLF line ending is a line ending.
 */
export function visible(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** `file:line:col error CODE message`, then the hint and a code frame (`options.sources` already made visible). */
function formatDiagnostic(d: Diagnostic, options: FormatOptions): string {
  const where = d.span ? `${visible(d.span.file)}:${d.span.line}:${d.span.column} ` : '';
  const lines = [`${where}${d.severity} ${d.code} ${visible(d.message)}`];
  for (const site of d.span?.includedFrom ?? []) lines.push(`  included from ${visible(site.file)}:${site.line}:${site.column}`);
  if (d.hint) lines.push(`  hint: ${visible(d.hint)}`);
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
  const quoted = new Set(diagnostics.flatMap((d) => (d.span ? [d.span.file] : [])));
  const sources = new Map([...options.sources].filter(([file]) => quoted.has(file)).map(([file, text]) => [file, visible(text)]));
  return diagnostics.map((d) => formatDiagnostic(d, { ...options, sources })).join('\n\n');
}

/** Machine-readable form: one JSON document with every diagnostic, `ok` and what the command adds. */
export function diagnosticsToJson(diagnostics: readonly Diagnostic[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ok: !hasErrors(diagnostics), diagnostics, ...extra }, null, 2);
}
