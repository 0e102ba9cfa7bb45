import { DiagnosticCodes, error, sortDiagnostics, type Result } from '../diagnostics/diagnostic.js';
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
  if (!chosen) {
    const formats = TRACE_READERS.map((r) => `${r.label} (--trace-format ${r.name})`).join(', ');
    return { diagnostics: [error(DiagnosticCodes.TRACE_FORMAT, `${file.name} is not a trace protoflow can read; it reads ${formats}`)] };
  }
  const read = chosen.read(file);
  return { ...read, diagnostics: sortDiagnostics(read.diagnostics) };
}
