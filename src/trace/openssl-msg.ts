import { DiagnosticCodes, error, warning, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../source/source-file.js';
import { CIPHER_SUITES } from './tls/cipher-suites.js';
import { alertEvent } from './tls/names.js';
import { RecordTracker } from './tls/records.js';
import { traceSpan, type RecordedTrace, type TraceFactValue, type TraceReader } from './trace.js';

/** `>>> TLS 1.2, Handshake [length 006b], ClientHello`: direction, version, kind, length, what follows. */
const MESSAGE_LINE = /^(>>>|<<<) ([^,]+), (\w+) \[length ([0-9a-fA-F]+)\](?:, (.*))?$/;
const HEX_LINE = /^ {4}[0-9a-fA-F]{2}( [0-9a-fA-F]{2})*\s*$/;

const LABEL = 'OpenSSL -msg';

interface Item {
  sent: boolean;
  version: string;
  kind: string;
  detail?: string;
  line: number;
  /** The length the line declares: OpenSSL prints that many bytes below it. */
  length: number;
  bytes: number[];
}

/**
 * OpenSSL's message trace, as `openssl s_client -msg` and `s_server -msg` print it: a line per
 * record header and per message, each followed by its bytes in hex. `>>>` is sent by the side
 * that recorded it, `<<<` received. Everything else s_client prints (certificates, session
 * details) is skipped. OpenSSL prints a received ChangeCipherSpec and all application data as
 * a bare record header; those become events of their own.
 */
export const opensslMsgReader: TraceReader = {
  name: 'openssl',
  label: LABEL,
  recognizes: (text) => /^(>>>|<<<) [^,\n]+, \w+ \[length [0-9a-fA-F]+\]/m.test(text),
  read(file: SourceFile): Result<RecordedTrace> {
    const diagnostics: Diagnostic[] = [];
    const items: Item[] = [];
    /** The line whose bytes the hex lines below it are; any other line ends them. */
    let current: Item | undefined;
    const lines = file.text.split(/\r?\n/);
    lines.forEach((raw, index) => {
      const text = raw.trimEnd();
      const line = index + 1;
      if (HEX_LINE.test(text)) {
        if (current) for (const byte of text.trim().split(/\s+/)) current.bytes.push(parseInt(byte, 16));
        return;
      }
      // The line break that ends the file ends no message.
      if (text === '' && index === lines.length - 1) return;
      current = undefined;
      if (!text.startsWith('>>>') && !text.startsWith('<<<')) return;
      const match = MESSAGE_LINE.exec(text);
      if (!match) {
        // A last line without its line break was cut off while being written: what came before still counts.
        const cutOff = index === lines.length - 1;
        const message = cutOff
          ? `the trace ends in the middle of a line: ${JSON.stringify(text.slice(0, 80))}`
          : `not an OpenSSL -msg line: ${JSON.stringify(text.slice(0, 80))}`;
        diagnostics.push(
          (cutOff ? warning : error)(cutOff ? DiagnosticCodes.TRACE_INCOMPLETE : DiagnosticCodes.TRACE_MALFORMED, message, traceSpan(file, line)),
        );
        return;
      }
      const [, arrow, version, kind, length, detail] = match;
      current = {
        sent: arrow === '>>>',
        version: version!.trim(),
        kind: kind!,
        ...(detail ? { detail: detail.trim() } : {}),
        line,
        length: parseInt(length!, 16),
        bytes: [],
      };
      items.push(current);
    });

    // The file ends while OpenSSL was printing a message's bytes: what came before still counts.
    if (current && current.bytes.length > 0 && current.bytes.length < current.length) {
      diagnostics.push(
        warning(
          DiagnosticCodes.TRACE_INCOMPLETE,
          `the trace ends inside the bytes of this message (${current.bytes.length} of its ${current.length}): is it cut short?`,
          traceSpan(file, current.line),
        ),
      );
    }
    const records = new RecordTracker(file, diagnostics);
    const facts: Record<string, TraceFactValue> = {};
    for (const item of items) {
      switch (item.kind) {
        case 'RecordHeader': {
          const contentType = item.bytes[0];
          if (contentType === undefined) {
            diagnostics.push(
              warning(DiagnosticCodes.TRACE_INCOMPLETE, 'a record header without its bytes: is the trace cut short?', traceSpan(file, item.line)),
            );
          }
          records.begin(item.sent, item.line, contentType);
          if (contentType === undefined) records.dismiss();
          break;
        }
        case 'InnerContent': {
          // TLS 1.3: the record is encrypted application data; its real type is the inner one.
          const inner = item.bytes[0];
          if (inner !== undefined) records.setContentType(inner);
          break;
        }
        case 'Handshake':
          if (!item.detail) {
            diagnostics.push(error(DiagnosticCodes.TRACE_MALFORMED, 'a handshake line that does not name its message', traceSpan(file, item.line)));
            records.dismiss();
            break;
          }
          records.message(item.detail, item.line, item.sent);
          if (item.detail === 'ServerHello') readServerHello(item, facts, file, diagnostics);
          break;
        case 'Alert':
          records.message(alertEvent(item.detail?.split(/\s+/).at(-1) ?? 'unknown'), item.line, item.sent);
          break;
        default:
          // ChangeCipherSpec, ApplicationData, Heartbeat, and whatever later OpenSSLs print.
          records.message(item.kind, item.line, item.sent);
      }
    }
    records.end();
    if (records.events.length === 0 && diagnostics.length === 0) {
      diagnostics.push(error(DiagnosticCodes.TRACE_FORMAT, `${file.name} shows no TLS message: record it with "openssl s_client -msg" or "s_server -msg"`));
    }
    return { value: { file: file.name, format: LABEL, events: records.events, facts }, diagnostics };
  },
};

const HANDSHAKE_SERVER_HELLO = 2;

/** The negotiated version (from the line) and cipher suite (from the bytes) of a ServerHello. */
function readServerHello(item: Item, facts: Record<string, TraceFactValue>, file: SourceFile, diagnostics: Diagnostic[]): void {
  facts.version = { value: item.version, line: item.line };
  // type (1), length (3), legacy_version (2), random (32), session id length (1) and id, cipher suite (2)
  const idLength = item.bytes[38];
  const at = 39 + (idLength ?? 0);
  if (item.bytes[0] !== HANDSHAKE_SERVER_HELLO || idLength === undefined || item.bytes.length < at + 2) {
    diagnostics.push(
      warning(DiagnosticCodes.TRACE_INCOMPLETE, 'the ServerHello bytes end before its cipher suite: the cipher suite is unknown', traceSpan(file, item.line)),
    );
    return;
  }
  const code = (item.bytes[at]! << 8) | item.bytes[at + 1]!;
  facts.cipher = { value: CIPHER_SUITES.get(code) ?? `0x${code.toString(16).toUpperCase().padStart(4, '0')}`, line: item.line };
}
