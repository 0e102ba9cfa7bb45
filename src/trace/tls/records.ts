import { DiagnosticCodes, warning, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { SourceFile } from '../../source/source-file.js';
import { traceSpan, type TraceEvent } from '../trace.js';
import { bareRecordEvent, contentTypeName } from './names.js';

interface OpenRecord {
  sent: boolean;
  line: number;
  contentType?: number;
  /** A message line of its own came with it. */
  shown: boolean;
}

/**
 * The events of a TLS trace, record by record, as both OpenSSL formats show them: a record
 * header, then the messages it carries. A record that shows no message of its own is a received
 * ChangeCipherSpec or application data (OpenSSL prints those as a bare header), the first part of
 * a handshake message split across records (its message comes with a later record of the same
 * side), or a sign that the trace lost a line: that is a warning (PF603), and what was read
 * is still compared.
 */
export class RecordTracker {
  readonly events: TraceEvent[] = [];
  private open: OpenRecord | undefined;
  /** Records that showed no message, waiting to be told apart: split message or lost line. */
  private unshown: OpenRecord[] = [];

  constructor(
    private readonly file: SourceFile,
    private readonly diagnostics: Diagnostic[],
  ) {}

  /** A record starts; the one before it is complete. */
  begin(sent: boolean, line: number, contentType?: number): void {
    this.close();
    this.open = { sent, line, ...(contentType !== undefined ? { contentType } : {}), shown: false };
  }

  /** The current record's (inner) content type, when it comes after the record's first line. */
  setContentType(contentType: number): void {
    if (this.open) this.open.contentType = contentType;
  }

  get contentType(): number | undefined {
    return this.open?.contentType;
  }

  /** A message of the current record; `sent` for a message line that says its own direction. */
  message(name: string, line: number, sent = this.open?.sent ?? false): void {
    this.settle(false, (record) => record.sent === sent && record.contentType === this.open?.contentType);
    this.events.push({ name, sent, line });
    if (this.open) this.open.shown = true;
  }

  /** Marks the current record as read, though no event came of it (its message line was malformed). */
  dismiss(): void {
    if (this.open) this.open.shown = true;
  }

  /** The end of the trace. */
  end(): void {
    this.close();
    this.settle(true, () => false);
  }

  private close(): void {
    const record = this.open;
    this.open = undefined;
    if (!record || record.shown) return;
    if (record.contentType === undefined) {
      this.warn(record, 'a record without its content type: is the trace cut short?');
      return;
    }
    const bare = bareRecordEvent(record.contentType);
    if (bare) {
      this.settle(false, () => false);
      this.events.push({ name: bare, sent: record.sent, line: record.line });
    } else this.unshown.push(record);
  }

  /** Forgets the unshown records that `partOf` the next message, and reports the others. */
  private settle(atEnd: boolean, partOf: (record: OpenRecord) => boolean): void {
    for (const record of this.unshown) {
      if (partOf(record)) continue;
      const why = atEnd ? 'the trace ends here: is it cut short?' : 'was a line of the trace deleted?';
      this.warn(record, `a record of content type ${contentTypeName(record.contentType!)} with no message after it; ${why}`);
    }
    this.unshown = [];
  }

  private warn(record: OpenRecord, message: string): void {
    this.diagnostics.push(warning(DiagnosticCodes.TRACE_INCOMPLETE, message, traceSpan(this.file, record.line)));
  }
}
