import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { DiagnosticCodes, error, failureReason, type Result } from '../diagnostics/diagnostic.js';

export interface SourceFile {
  /** The name diagnostics print: the path as the user gave it, or relative to the working directory. */
  name: string;
  text: string;
  /** For a spec: the folder its includes must stay inside (default: the spec's own folder). */
  root?: string;
}

/**
 * Opened without waiting (a FIFO would block the open itself), then read only when it is a regular
 * file: a FIFO, a device or a socket named like a spec would hang or never end.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

class NotRegularFile extends Error {
  readonly code = 'not a regular file';
}

/** The bytes of a regular file; anything else is refused before a byte is read. */
export async function readRegularFile(path: string): Promise<Buffer> {
  const handle = await open(path, OPEN_FLAGS);
  try {
    if (!(await handle.stat()).isFile()) throw new NotRegularFile();
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** The text of a regular file, or undefined when it is missing, unreadable or not a regular file. */
export function readTextIfAny(path: string): Promise<string | undefined> {
  return readRegularFile(path).then(
    (bytes) => bytes.toString('utf8'),
    () => undefined,
  );
}

/** readRegularFile, for the few readers that must be synchronous. */
export function readRegularFileSync(path: string): Buffer {
  const fd = openSync(path, OPEN_FLAGS);
  try {
    if (!fstatSync(fd).isFile()) throw new NotRegularFile();
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

// A byte-order mark is kept as the file has it: docs writes Markdown back byte for byte.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text of a file that must be UTF-8, or why it is not: a UTF-16 file (by its byte-order mark,
 * or the NUL bytes of mostly-ASCII UTF-16) is named as such, and the first byte that is not
 * UTF-8 is reported at its line and column rather than silently becoming U+FFFD.
 */
export function decodeUtf8(bytes: Uint8Array, name: string): Result<string> {
  const fail = (message: string, line?: number, column?: number): Result<string> => ({
    diagnostics: [error(DiagnosticCodes.FILE_ENCODING, message, line === undefined ? undefined : { file: name, line, column: column! })],
  });
  const utf16 =
    (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes.length > 1 && (bytes[0] === 0 || bytes[1] === 0));
  if (utf16) return fail(`${name} is UTF-16, not UTF-8; save it as UTF-8`);
  try {
    return { value: utf8.decode(bytes), diagnostics: [] };
  } catch {
    const at = firstInvalidByte(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, at));
    const lines = before.split(/\r\n|\r|\n/);
    const byte = bytes[at]!.toString(16).padStart(2, '0');
    return fail(`byte 0x${byte} is not UTF-8: save ${name} as UTF-8`, lines.length, [...lines[lines.length - 1]!].length + 1);
  }
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    if (length > 1) {
      try {
        utf8.decode(bytes.subarray(i, i + length));
      } catch {
        return i;
      }
    }
    i += length;
  }
  return i;
}

export async function readSourceFile(path: string, name = path): Promise<Result<SourceFile>> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(path);
  } catch (cause) {
    return { diagnostics: [error(DiagnosticCodes.FILE_UNREADABLE, `cannot read ${name}: ${failureReason(cause)}`)] };
  }
  const text = decodeUtf8(bytes, name);
  return text.value === undefined ? { diagnostics: text.diagnostics } : { value: { name, text: text.value }, diagnostics: [] };
}
