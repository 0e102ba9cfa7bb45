import type { Result, Span } from '../diagnostics/diagnostic.js';
import type { Message } from '../ir/types.js';
import type { Host } from '../shared/host.js';
import type { SourceFile } from '../source/source-file.js';

/** One message of a recording, named as the spec's `trace:` keys name it. */
export interface TraceEvent {
  /** e.g. `ClientHello`, `ChangeCipherSpec`, `ApplicationData`, `Alert(close_notify)`. */
  name: string;
  /** True when the side that recorded the trace sent it, false when it received it. */
  sent: boolean;
  /** 1-based line of the trace that shows it; in a packet capture, its frame number. */
  line: number;
  /** In a packet capture: the spec's display filters (`trace: { filter: … }`) its packet matches. */
  matches?: readonly string[];
}

/** Something a recording tells of the whole exchange, such as the negotiated cipher suite. */
export interface TraceFactValue {
  value: string;
  line: number;
}

export interface RecordedTrace {
  file: string;
  /** Which reader read it, for the report: "OpenSSL -msg". */
  format: string;
  events: TraceEvent[];
  /** Fact name (`cipher`, `version`) → what the recording shows. */
  facts: Readonly<Record<string, TraceFactValue>>;
  /** What an event's `line` counts: lines of a text trace (the default), or frames of a capture. */
  unit?: 'line' | 'frame';
}

/** Where in the recording: `trace.txt:12`, or `capture.pcap frame 12`. */
export function traceLocation(trace: Pick<RecordedTrace, 'file' | 'unit'>, line: number | undefined): string {
  if (line === undefined) return trace.file;
  return trace.unit === 'frame' ? `${trace.file} frame ${line}` : `${trace.file}:${line}`;
}

/** One trace format. Readers never throw: what they cannot read is a diagnostic at its line. */
export interface TraceReader {
  /** `--trace-format` value. */
  name: string;
  label: string;
  /** True when the text looks like this format, for choosing a reader by content. */
  recognizes(text: string): boolean;
  read(file: SourceFile): Result<RecordedTrace>;
}

export function traceSpan(file: SourceFile, line: number): Span {
  return { file: file.name, line, column: 1 };
}

/** Where a packet went from or to: an address, a port, or both (`127.0.0.1:8883`, `:8883`, `10.0.0.2`). */
export interface Endpoint {
  address?: string;
  port?: number;
}

/** A recording as `conform` is given it: its name for reports, where it is, and what it holds. */
export interface RecordingFile {
  name: string;
  path: string;
  bytes: Uint8Array;
}

/** What reading a recording may need besides the file. */
export interface RecordingContext {
  /** The spec's messages: a packet capture is read for the packets their `trace:` patterns name. */
  messages: readonly Message[];
  /** tshark's decode-as rules, an SSLKEYLOGFILE (a path), and the side's endpoint in the capture. */
  capture: { decodeAs: readonly string[]; keylog?: string; endpoint?: Endpoint };
  /** Where tshark is looked for (PATH). */
  env: Host['env'];
  /** How long another program (tshark) may take for each pass over the recording. */
  timeoutMs: number;
}

/**
 * The recording's readings (a capture read without an endpoint is read from both ends), and, for a
 * text trace, its text: the diagnostics at its lines show it.
 */
export interface RecordingRead extends Result<RecordedTrace[]> {
  source?: SourceFile;
}

/** One recording format. Readers never throw: what they cannot read is a diagnostic. */
export interface RecordingReader {
  /** `--trace-format` value. */
  name: string;
  label: string;
  /** True when the file looks like this format, for choosing a reader by content. */
  recognizes(file: RecordingFile): boolean;
  read(file: RecordingFile, context: RecordingContext): Promise<RecordingRead>;
}
