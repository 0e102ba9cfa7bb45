import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../src/diagnostics/format.js';
import { findTraceReader, readTrace, TRACE_READERS } from '../src/trace/readers.js';
import { findRecordingReader, readRecording, RECORDING_READERS } from '../src/trace/recording.js';
import { CIPHER_SUITES } from '../src/trace/tls/cipher-suites.js';
import { golden } from './support/golden.js';

/**
 * Negative fixtures for the trace readers: each file of test/fixtures/traces/ is named after the
 * code(s) it must produce, and after the reader it is read with (`openssl-`, `node-`; neither:
 * chosen by content). `NAME.expected` holds the exact diagnostics without colour, then the events
 * and facts read. Regenerate with UPDATE_GOLDEN=1 and read every changed file.
 */
const DIR = 'test/fixtures/traces';
const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.txt'))
  .sort();

describe('trace readers: malformed and cut-short traces are diagnostics at their line, never a crash', () => {
  it('has fixtures', () => expect(fixtures.length).toBeGreaterThan(0));
  for (const fixture of fixtures) {
    it(fixture, () => {
      const name = `${DIR}/${fixture}`;
      const text = readFileSync(name, 'utf8');
      const format = /^PF\d{3}-(openssl|node)-/.exec(fixture)?.[1];
      const result = readTrace({ name, text }, format ? findTraceReader(format) : undefined);
      const codes = [...fixture.matchAll(/PF\d{3}/g)].map((m) => m[0]);
      expect(result.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(codes));
      const events = result.value?.events.map((e) => `${e.sent ? 'sent' : 'received'} ${e.name} (line ${e.line})`) ?? [];
      const facts = Object.entries(result.value?.facts ?? {}).map(([fact, { value, line }]) => `${fact}: ${value} (line ${line})`);
      const actual = `${formatDiagnostics(result.diagnostics, { sources: new Map([[name, text]]), color: false })}\n--- events\n${[...events, '--- facts', ...facts].join('\n')}\n`;
      expect(actual).toBe(golden(name.replace(/\.txt$/, '.expected'), actual));
    });
  }
});

describe('the cipher suite table', () => {
  it('names every suite the installed OpenSSL can negotiate as OpenSSL does (IANA names)', () => {
    const listed = execFileSync('openssl', ['ciphers', '-V', '-stdname', 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'], { encoding: 'utf8' });
    const suites = listed
      .trim()
      .split('\n')
      .map((line) => /^\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)/.exec(line)!)
      .map(([, high, low, name]) => [parseInt(`${high}${low}`, 16), name]);
    expect(suites.length).toBeGreaterThan(100);
    for (const [code, name] of suites) expect(CIPHER_SUITES.get(code as number), name as string).toBe(name);
  });
});

describe('trace readers on any text (property test)', () => {
  /** Lines that look like either format, broken in every way, mixed with anything. */
  const traceLine = fc.oneof(
    fc.constantFrom(
      '>>> TLS 1.2, RecordHeader [length 0005]',
      '<<< TLS 1.2, RecordHeader [length 0005]',
      '<<< TLS 1.3, InnerContent [length 0001]',
      '<<< TLS 1.2, Handshake [length 003d], ServerHello',
      '>>> TLS 1.2, Handshake [length 0010]',
      '>>> TLS 1.2, Alert [length 0002], warning close_notify',
      '>>> TLS 1.2, ChangeCipherSpec [length 0001]',
      '>>> garbage',
      'Sent Record',
      'Received Record',
      'Header:',
      '  Content Type = Handshake (22)',
      '  Inner Content Type = Alert (21)',
      '  Content Type = ApplicationData (23)',
      '    ServerHello, Length=57',
      '      cipher_suite {0x00, 0x3C} TLS_RSA_WITH_AES_128_CBC_SHA256',
      '        extension_type=supported_versions(43), length=2',
      '            TLS 1.3 (772)',
      '    Level=warning(1), description=close notify(0)',
      '    change_cipher_spec (1)',
      '------details-----',
      '------------------',
      '',
    ),
    fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 60 }).map((bytes) => `    ${bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ')}`),
    fc.string({ unit: 'binary', maxLength: 40 }),
  );
  const trace = fc.array(traceLine, { maxLength: 40 }).map((lines) => lines.join(fc.sample(fc.constantFrom('\n', '\r\n'), 1)[0]!));

  it('never throw, and every diagnostic points at a line of the trace', () => {
    fc.assert(
      fc.property(trace, (text) => {
        const lines = text.split(/\r?\n/).length;
        for (const reader of [undefined, ...TRACE_READERS]) {
          const result = readTrace({ name: 't.txt', text }, reader);
          for (const d of result.diagnostics) {
            if (d.span) expect(d.span.line).toBeGreaterThanOrEqual(1);
            if (d.span) expect(d.span.line).toBeLessThanOrEqual(lines);
          }
          for (const e of result.value?.events ?? []) expect(e.line).toBeLessThanOrEqual(lines);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('read very long lines in linear time', () => {
    const hex = `<<< TLS 1.2, RecordHeader [length 0005]\n    ${Array(300_000).fill('16').join(' ')}\n`;
    const spaces = `Sent Record\nHeader:\n  Content Type = Handshake (22)\n    x${' '.repeat(100_000)}y\nReceived Record\nHeader:\n  Content Type = Alert (21)\n    Level=warning(1), description=${'(1'.repeat(100_000)}\n${' '.repeat(200_000)}\n`;
    const started = Date.now();
    for (const reader of TRACE_READERS) for (const text of [hex, spaces]) readTrace({ name: 't.txt', text }, reader);
    // Generous: a quadratic reader takes minutes here.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('the registry of recording formats', () => {
  it('holds the packet capture reader beside the text formats, and tells a capture by its first bytes', async () => {
    expect(RECORDING_READERS.map((r) => r.name)).toEqual(['pcap', ...TRACE_READERS.map((r) => r.name)]);
    const pcap = findRecordingReader('pcap')!;
    const pcapng = Uint8Array.from([0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0]);
    const text = new TextEncoder().encode('>>> TLS 1.2, Handshake [length 0004], ClientHello\n');
    const file = (bytes: Uint8Array) => ({ name: 't', path: 't', bytes });
    expect(pcap.recognizes(file(pcapng))).toBe(true);
    expect(pcap.recognizes(file(text))).toBe(false);
    expect(RECORDING_READERS.find((r) => r.recognizes(file(text)))?.name).toBe('openssl');
    // A text trace read through the registry keeps its text, for the code frames of its diagnostics.
    const context = { messages: [], capture: { decodeAs: [] }, env: {}, timeoutMs: 1000 };
    const read = await readRecording({ name: 'trace.txt', path: 'trace.txt', bytes: text }, context);
    expect(read.source?.text).toBe(new TextDecoder().decode(text));
    expect(read.value?.[0]?.events.map((e) => e.name)).toEqual(['ClientHello']);
  });
});
