import { type Result, sortDiagnostics } from '../diagnostics/diagnostic.js';
import { decodeUtf8 } from '../source/source-file.js';
import { captureReader } from './capture.js';
import { TRACE_READERS, unreadable } from './readers.js';
import type { RecordingContext, RecordingFile, RecordingRead, RecordingReader, TraceReader } from './trace.js';

/** A text trace format as a recording reader: the file is UTF-8 text. */
function textReader(reader: TraceReader): RecordingReader {
  return {
    name: reader.name,
    label: reader.label,
    recognizes: (file) => {
      const text = textOf(file).value;
      return text !== undefined && reader.recognizes(text);
    },
    read: async (file) => readText(file, reader),
  };
}

/** Every recording format, in the order they are tried on a file of unknown format: packet captures are told by their first bytes. */
export const RECORDING_READERS: readonly RecordingReader[] = [captureReader, ...TRACE_READERS.map(textReader)];

export function findRecordingReader(name: string): RecordingReader | undefined {
  return RECORDING_READERS.find((reader) => reader.name === name);
}

/** Reads a recording with the named reader, or with the first that recognizes it. */
export async function readRecording(file: RecordingFile, context: RecordingContext, reader?: RecordingReader): Promise<RecordingRead> {
  const chosen = reader ?? RECORDING_READERS.find((r) => r.recognizes(file));
  // No reader recognized it: read as text, it has an encoding problem, or is no trace.
  const read = chosen ? await chosen.read(file, context) : readText(file);
  return { ...read, diagnostics: sortDiagnostics(read.diagnostics) };
}

/** A text trace, read with `reader`; without one, a file no reader recognized: its encoding problem, or that it is no trace. */
function readText(file: RecordingFile, reader?: TraceReader): RecordingRead {
  const text = textOf(file);
  if (text.value === undefined) return { diagnostics: text.diagnostics };
  const source = { name: file.name, text: text.value };
  if (!reader) return { source, diagnostics: [unreadable(file.name, RECORDING_READERS)] };
  const read = reader.read(source);
  return { source, diagnostics: read.diagnostics, ...(read.value ? { value: [read.value] } : {}) };
}

/** A file's text, decoded once however many text readers look at it before one reads it. */
const decoded = new WeakMap<Uint8Array, Result<string>>();
function textOf(file: RecordingFile): Result<string> {
  let text = decoded.get(file.bytes);
  if (!text) decoded.set(file.bytes, (text = decodeUtf8(file.bytes, file.name)));
  return text;
}
