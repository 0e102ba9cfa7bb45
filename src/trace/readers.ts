import { type Diagnostic, DiagnosticCodes, error, sortDiagnostics, type Result } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../source/source-file.js';
import { nodeTraceReader } from './node-trace.js';
import { opensslMsgReader } from './openssl-msg.js';
import type { RecordedTrace, TraceReader } from './trace.js';

/** Every trace format, in the order they are tried on a trace of unknown format. */
export const TRACE_READERS: readonly TraceReader[] = [opensslMsgReader, nodeTraceReader];

export function findTraceReader(name: string): TraceReader | undefined {
  return TRACE_READERS.find((reader) => reader.name === name);
}

/** Reads a trace with the named reader, or with the first that recognizes its text. */
export function readTrace(file: SourceFile, reader?: TraceReader): Result<RecordedTrace> {
  const chosen = reader ?? TRACE_READERS.find((r) => r.recognizes(file.text));
  if (!chosen) return { diagnostics: [unreadable(file.name, TRACE_READERS)] };
  const read = chosen.read(file);
  return { ...read, diagnostics: sortDiagnostics(read.diagnostics) };
}

/** PF601: no reader recognized the file; the formats there are. */
export function unreadable(name: string, readers: readonly Pick<TraceReader, 'name' | 'label'>[]): Diagnostic {
  const formats = readers.map((r) => `${r.label} (--trace-format ${r.name})`).join(', ');
  return error(DiagnosticCodes.TRACE_FORMAT, `${name} is not a trace protoflow can read; it reads ${formats}`);
}
