import { DiagnosticCodes, error, warning, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../source/source-file.js';
import { ALERT, alertEvent, CHANGE_CIPHER_SPEC, HANDSHAKE } from './tls/names.js';
import { RecordTracker } from './tls/records.js';
import { traceSpan, type RecordedTrace, type TraceFactValue, type TraceReader } from './trace.js';

const RECORD_START = /^(Sent|Received) Record$/;
const CONTENT_TYPE = /^ {2}(Inner )?Content Type = ([^(]*) \((\d+)\)$/;
/** A message of a record, indented by four: `    ClientHello, Length=103`, `    change_cipher_spec (1)`. */
const MESSAGE = /^ {4}(\S.*)$/;
const HANDSHAKE_MESSAGE = /^(\w+), Length=\d+$/;
const ALERT_MESSAGE = /^Level=\w+\(\d+\), description=(.*)\(\d+\)$/;
const CIPHER_SUITE = /^ {6}cipher_suite \{0x[0-9A-Fa-f]{2}, 0x[0-9A-Fa-f]{2}\} (\S+)$/;
const SERVER_VERSION = /^ {6}server_version=0x[0-9A-Fa-f]+ \(([^)]*)\)$/;
const DETAILS_START = '------details-----';
const DETAILS_END = '------------------';
const SUPPORTED_VERSION = /^ {12}((?:TLS|DTLS|SSL) [\d.]+) \(\d+\)$/;

const LABEL = 'Node enableTrace()';

/** What is being read of the current record's ServerHello. */
interface ServerHelloState {
  /** The next line is the version the supported_versions extension names (TLS 1.3). */
  versionNext: boolean;
}

/**
 * OpenSSL's SSL_trace output, which Node prints on stderr after `tlsSocket.enableTrace()`:
 * a block per record (`Sent Record` / `Received Record`, then `Header:` and its fields),
 * its messages indented by four. A received ChangeCipherSpec and application data show only
 * the header; those become events of their own. Lines it does not know (the program's own
 * output on stderr among them) are skipped.
 */
export const nodeTraceReader: TraceReader = {
  name: 'node',
  label: LABEL,
  recognizes: (text) => /^(Sent|Received) Record\s*$/m.test(text),
  read(file: SourceFile): Result<RecordedTrace> {
    const diagnostics: Diagnostic[] = [];
    const records = new RecordTracker(file, diagnostics);
    const facts: Record<string, TraceFactValue> = {};
    let inRecord = false;
    /** The line of the last `Sent Record`, while its `Header:` is still to come. */
    let headerDue: number | undefined;
    /** Inside the dump of a certificate, whose lines are indented like messages. */
    let inDetails = false;
    let serverHello: ServerHelloState | undefined;

    const lines = file.text.split(/\r?\n/);
    lines.forEach((raw, index) => {
      const text = raw.trimEnd();
      const line = index + 1;
      const start = RECORD_START.exec(text);
      if (start) {
        records.begin(start[1] === 'Sent', line);
        inRecord = true;
        headerDue = line;
        inDetails = false;
        serverHello = undefined;
        return;
      }
      if (!inRecord) return;
      if (inDetails || text.startsWith(DETAILS_START)) {
        inDetails = !text.startsWith(DETAILS_END);
        return;
      }
      if (headerDue !== undefined) {
        if (text === '') return;
        if (text !== 'Header:') {
          diagnostics.push(
            error(
              DiagnosticCodes.TRACE_MALFORMED,
              `expected "Header:" after the record line ${headerDue}, found ${JSON.stringify(text.slice(0, 60))}`,
              traceSpan(file, line),
            ),
          );
          records.dismiss();
          inRecord = false;
        }
        headerDue = undefined;
        return;
      }
      const contentType = CONTENT_TYPE.exec(text);
      if (contentType) {
        // TLS 1.3: the inner content type is the record's real one.
        records.setContentType(Number(contentType[3]));
        return;
      }
      const body = MESSAGE.exec(text)?.[1];
      const handshake = body !== undefined && records.contentType === HANDSHAKE ? HANDSHAKE_MESSAGE.exec(body) : null;
      const alert = body !== undefined && records.contentType === ALERT ? ALERT_MESSAGE.exec(body) : null;
      if (handshake) {
        records.message(handshake[1]!, line);
        serverHello = handshake[1] === 'ServerHello' ? { versionNext: false } : undefined;
      } else if (alert) {
        records.message(alertEvent(alert[1]!), line);
      } else if (body === 'change_cipher_spec (1)' && records.contentType === CHANGE_CIPHER_SPEC) {
        records.message('ChangeCipherSpec', line);
      } else if (serverHello) {
        readServerHello(text, line, serverHello, facts);
      }
    });
    if (headerDue !== undefined) {
      diagnostics.push(warning(DiagnosticCodes.TRACE_INCOMPLETE, 'the trace ends after a record line: is it cut short?', traceSpan(file, headerDue)));
      records.dismiss();
    }
    if (inDetails)
      diagnostics.push(
        warning(
          DiagnosticCodes.TRACE_INCOMPLETE,
          'the trace ends inside the dump of a certificate: is it cut short?',
          traceSpan(file, lines.at(-1) === '' ? lines.length - 1 : lines.length),
        ),
      );
    records.end();
    if (records.events.length === 0 && diagnostics.length === 0) {
      diagnostics.push(error(DiagnosticCodes.TRACE_FORMAT, `${file.name} shows no TLS record: record it with tlsSocket.enableTrace()`));
    }
    return { value: { file: file.name, format: LABEL, events: records.events, facts }, diagnostics };
  },
};

/** The cipher suite and version lines of a ServerHello; supported_versions (TLS 1.3) overrides its legacy version. */
function readServerHello(text: string, line: number, state: ServerHelloState, facts: Record<string, TraceFactValue>): void {
  const cipher = CIPHER_SUITE.exec(text);
  if (cipher) facts.cipher = { value: cipher[1]!, line };
  const version = SERVER_VERSION.exec(text);
  if (version) facts.version = { value: version[1]!, line };
  if (state.versionNext) {
    const supported = SUPPORTED_VERSION.exec(text);
    if (supported) facts.version = { value: supported[1]!, line };
    state.versionNext = false;
  }
  if (text.includes('extension_type=supported_versions(')) state.versionNext = true;
}
