import { spawn } from 'node:child_process';
import { DiagnosticCodes, error, type Diagnostic, type Result, warning } from '../diagnostics/diagnostic.js';
import { tlsEvents } from './tls/capture-records.js';
import { findOnPath } from '../shared/find-program.js';
import { installHint, TSHARK } from '../shared/install-hints.js';
import type { Endpoint, RecordedTrace, RecordingReader, TraceEvent, TraceFactValue } from './trace.js';

/** A packet capture: pcap (either byte order, micro- or nanosecond) or pcapng, told by its first four bytes. */
export function isCapture(bytes: Uint8Array): boolean {
  const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('');
  return ['a1b2c3d4', 'd4c3b2a1', 'a1b23c4d', '4d3cb2a1', '0a0d0d0a'].includes(magic);
}

/** `ADDR:PORT`, `:PORT`, `ADDR` or `[IPv6]:PORT`; undefined when it is none of them. */
export function parseEndpoint(text: string): Endpoint | undefined {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const plain = /^([^:]*):(\d+)$/.exec(text);
  const [address, port] = bracketed ? [bracketed[1], bracketed[2]] : plain ? [plain[1], plain[2]] : [text, undefined];
  const endpoint: Endpoint = { ...(address ? { address } : {}), ...(port !== undefined ? { port: Number(port) } : {}) };
  if (endpoint.port !== undefined && (!Number.isInteger(endpoint.port) || endpoint.port > 65535)) return undefined;
  return endpoint.address === undefined && endpoint.port === undefined ? undefined : endpoint;
}

export function endpointText({ address, port }: Endpoint): string {
  const host = address?.includes(':') ? `[${address}]` : (address ?? '');
  return port === undefined ? host : `${host}:${port}`;
}

export interface CaptureOptions {
  /** The tshark program. */
  tshark: string;
  /** tshark's decode-as rules, `tcp.port==21883,mqtt`: traffic on a port that is not the protocol's own. */
  decodeAs: readonly string[];
  /** An SSLKEYLOGFILE, so that tshark decrypts TLS (TLS 1.3's handshake, TLS 1.2's alerts). */
  keylog?: string;
  /** The spec's Wireshark display filters (`trace: { filter: … }`): a packet is a message of each it matches. */
  filters: readonly string[];
  /** The spec names messages as a TLS trace does (`trace: ClientHello`): a capture without TLS is worth a word. */
  expectsTls: boolean;
  /** The side's endpoint; without it the capture must hold one conversation, read from the side that opened it. */
  endpoint?: Endpoint;
  /** How long tshark may take for each pass over the capture. */
  timeoutMs: number;
}

/** A capture read from each end: the one given (or the side that opened the conversation), and its peer. */
export interface CaptureReading {
  trace: RecordedTrace;
  /** The same packets read from the other end, when no endpoint was given: conform keeps the reading that fits best. */
  mirrored?: RecordedTrace;
}

/**
 * Packet captures, read through tshark for the packets the spec's messages name: TLS records by
 * their `trace:` names, any other packet by its `trace:` fields or display filter.
 */
export const captureReader: RecordingReader = {
  name: 'pcap',
  label: 'packet captures (pcap, pcapng) through tshark',
  recognizes: (file) => isCapture(file.bytes),
  async read(file, { messages, capture, env, timeoutMs }) {
    const tshark = findOnPath('tshark', env);
    if (!tshark) {
      return {
        diagnostics: [
          error(DiagnosticCodes.TSHARK_MISSING, `${file.name} is a packet capture, read through tshark, which is not installed; ${installHint(TSHARK)}`),
        ],
      };
    }
    const options = {
      tshark,
      decodeAs: capture.decodeAs,
      ...(capture.keylog !== undefined ? { keylog: capture.keylog } : {}),
      filters: [...new Set(messages.flatMap((m) => m.traceFilters ?? []))],
      expectsTls: messages.some((m) => m.trace.length > 0),
      ...(capture.endpoint ? { endpoint: capture.endpoint } : {}),
      timeoutMs,
    };
    const read = await readCapture(file, options);
    if (!read.value) return { diagnostics: read.diagnostics };
    const { trace, mirrored } = read.value;
    return { value: [trace, ...(mirrored ? [mirrored] : [])], diagnostics: read.diagnostics };
  },
};

/** One packet, as the first pass lists it. */
interface Packet {
  frame: number;
  source: Required<Endpoint>;
  destination: Required<Endpoint>;
  /** tshark's Info column, the packet's name in reports when no TLS name applies. */
  info: string;
  /** A TCP segment's stream, relative sequence numbers, length and control flags. */
  tcp?: { stream: number; seq: number; ack: number; len: number; syn: boolean; fin: boolean; reset: boolean };
}

const ADDRESSES = ['ip.src', 'ipv6.src', 'tcp.srcport', 'udp.srcport', 'ip.dst', 'ipv6.dst', 'tcp.dstport', 'udp.dstport'];
const TCP_FIELDS = ['tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.len', 'tcp.flags.syn', 'tcp.flags.fin', 'tcp.flags.reset'];
const FIELDS = ['frame.number', ...ADDRESSES, ...TCP_FIELDS, '_ws.col.Info'];

/**
 * Reads a packet capture through tshark: each TLS record becomes the event a TLS text trace
 * names (ClientHello, Alert(close_notify), …) and the facts its ServerHello shows; any other packet
 * that matches some of the spec's display filters becomes an event matching those filters. An
 * event's `line` is its frame number.
 */
export async function readCapture(file: { name: string; path: string }, options: CaptureOptions): Promise<Result<CaptureReading>> {
  const diagnostics: Diagnostic[] = [];
  const common = [
    '-r',
    file.path,
    '-n',
    ...options.decodeAs.flatMap((rule) => ['-d', rule]),
    ...(options.keylog ? ['-o', `tls.keylog_file:${options.keylog}`] : []),
  ];
  const interesting = ['tls', ...options.filters.map((f) => `(${f})`)].join(' || ');
  const listed = await runTshark(
    options,
    [...common, '-Y', interesting, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=f', ...FIELDS.flatMap((f) => ['-e', f])],
    file.name,
  );
  if (listed.failure) return { diagnostics: [listed.failure] };
  diagnostics.push(...listed.warnings);
  const packets = listed.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => packetOf(line.split('\t')));
  const byFrame = new Map(packets.map((p) => [p.frame, p]));

  // Fields compared with values (`trace: { fields: … }`) are read in one pass and compared here;
  // any other display filter takes a pass of its own, in which tshark answers which frames match it.
  const matches = new Map<number, string[]>();
  const matched = (frame: number, filter: string) => (matches.get(frame) ?? matches.set(frame, []).get(frame)!).push(filter);
  const simple = options.filters.flatMap((filter) => {
    const terms = equalities(filter);
    return terms ? [{ filter, terms }] : [];
  });
  const fields = [...new Set(simple.flatMap(({ terms }) => terms.map((t) => t.field)))];
  if (fields.length > 0) {
    const args = [
      ...common,
      '-Y',
      simple.map(({ filter }) => `(${filter})`).join(' || '),
      '-T',
      'fields',
      '-E',
      'separator=/t',
      '-E',
      'occurrence=a',
      '-E',
      'aggregator=/s',
    ];
    const run = await runTshark(options, [...args, '-e', 'frame.number', ...fields.flatMap((f) => ['-e', f])], file.name);
    if (run.failure) return { diagnostics: [run.failure] };
    for (const line of run.stdout.split('\n').filter(Boolean)) {
      const [frame, ...values] = line.split('\t');
      const shown = new Map(fields.map((field, i) => [field, (values[i] ?? '').split(' ').filter(Boolean)]));
      for (const { filter, terms } of simple) if (terms.every((t) => shown.get(t.field)!.some((v) => sameValue(v, t.value)))) matched(Number(frame), filter);
    }
  }
  for (const filter of options.filters.filter((f) => !simple.some((s) => s.filter === f))) {
    const run = await runTshark(options, [...common, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], file.name);
    if (run.failure) return { diagnostics: [run.failure] };
    for (const frame of run.stdout.split('\n').filter(Boolean).map(Number)) matched(frame, filter);
  }

  for (const frame of dataAcknowledgements(packets)) matches.delete(frame);

  const facts: Record<string, TraceFactValue> = {};
  const tls: { frame: number; name: string }[] = [];
  if (packets.length > 0) {
    const dissected = await runTshark(options, [...common, '-Y', 'tls', '-T', 'json', '--no-duplicate-keys', '-J', 'frame tls'], file.name);
    if (dissected.failure) return { diagnostics: [dissected.failure] };
    const read = tlsEvents(dissected.stdout);
    tls.push(...read.events);
    Object.assign(facts, read.facts);
    if (read.encrypted > 0 && !options.keylog) {
      diagnostics.push(
        warning(
          DiagnosticCodes.TRACE_INCOMPLETE,
          `${file.name}: ${read.encrypted} TLS record(s) are encrypted and read by their content type only; give --keylog FILE (the SSLKEYLOGFILE of either end) to read them`,
        ),
      );
    }
  }

  if (options.expectsTls && tls.length === 0) {
    diagnostics.push(
      warning(
        DiagnosticCodes.TRACE_INCOMPLETE,
        `${file.name} shows no TLS record: if TLS runs on a port tshark does not take for TLS, say so with --decode-as tcp.port==PORT,tls`,
      ),
    );
  }

  type Located = { packet: Packet; name: string; filters: string[] };
  const located: Located[] = [];
  const tlsFrames = new Set(tls.map((event) => event.frame));
  for (const event of tls) {
    const packet = byFrame.get(event.frame);
    if (packet) located.push({ packet, name: event.name, filters: matches.get(event.frame) ?? [] });
  }
  for (const [frame, filters] of matches) {
    const packet = byFrame.get(frame);
    if (packet && !tlsFrames.has(frame)) located.push({ packet, name: packet.info, filters });
  }
  located.sort((a, b) => a.packet.frame - b.packet.frame);
  if (located.length === 0) {
    const looked = options.filters.length > 0 ? `TLS, nor any packet that matches the spec's display filters (${options.filters.join('; ')})` : 'TLS';
    return { diagnostics: [...diagnostics, error(DiagnosticCodes.TRACE_FORMAT, `${file.name} holds no ${looked}`)] };
  }

  const side = chooseSide(
    located.map((l) => l.packet),
    options.endpoint,
    file.name,
  );
  if ('problem' in side) return { diagnostics: [...diagnostics, side.problem] };
  const mine = located.filter((l) => touches(l.packet, side.endpoint));
  const events = (from: Endpoint): TraceEvent[] =>
    mine.map(({ packet, name, filters }) => ({
      name,
      sent: matchesEndpoint(packet.source, from),
      line: packet.frame,
      ...(filters.length > 0 ? { matches: filters } : {}),
    }));
  const trace = (from: Endpoint): RecordedTrace => ({ file: file.name, format: 'packet capture (tshark)', events: events(from), facts, unit: 'frame' });
  const reading: CaptureReading = { trace: trace(side.endpoint), ...(side.peer ? { mirrored: trace(side.peer) } : {}) };
  return { value: reading, diagnostics };
}

/** `mqtt.msgtype == 3 && mqtt.qos == 1` as its terms; undefined for a filter of any other form. */
function equalities(filter: string): { field: string; value: string | number }[] | undefined {
  const terms = filter.split(' && ').map((term) => /^([A-Za-z_][\w.-]*) == (-?\d+|"(?:[^"\\]|\\.)*")$/.exec(term.trim()));
  if (terms.some((t) => t === null)) return undefined;
  const parsed = terms.map((t) => ({ field: t![1]!, value: t![2]!.startsWith('"') ? (JSON.parse(t![2]!) as string) : Number(t![2]) }));
  // Occurrences of a field are read joined by spaces: a text with a space in it is left to tshark.
  return parsed.some((t) => typeof t.value === 'string' && t.value.includes(' ')) ? undefined : parsed;
}

/** A value as tshark prints a field (`3`, `True`, `0x0303`, text) against one a filter names. */
function sameValue(shown: string, wanted: string | number): boolean {
  if (typeof wanted === 'string') return shown === wanted;
  if (shown === 'True' || shown === 'False') return Number(shown === 'True') === wanted;
  return Number(shown) === wanted;
}

function packetOf(columns: string[]): Packet[] {
  const [frame, ip4src, ip6src, tcpSrc, udpSrc, ip4dst, ip6dst, tcpDst, udpDst, stream, seq, ack, len, syn, fin, reset, info] = columns;
  const address = (v4?: string, v6?: string) => v4 || v6 || '';
  const port = (tcp?: string, udp?: string) => Number(tcp || udp || 0);
  const number = Number(frame);
  if (!Number.isInteger(number)) return [];
  const flag = (value?: string) => value === '1' || value === 'True';
  const tcp = stream
    ? { tcp: { stream: Number(stream), seq: Number(seq), ack: Number(ack), len: Number(len), syn: flag(syn), fin: flag(fin), reset: flag(reset) } }
    : {};
  return [
    {
      frame: number,
      source: { address: address(ip4src, ip6src), port: port(tcpSrc, udpSrc) },
      destination: { address: address(ip4dst, ip6dst), port: port(tcpDst, udpDst) },
      info: (info ?? '').trim() || `frame ${number}`,
      ...tcp,
    },
  ];
}

/**
 * The frames that are TCP segments acknowledging data and nothing else. They are no message of a
 * flow: a flow's TCP messages are its handshake and its closes, whose acknowledgements answer a
 * SYN or a FIN (acknowledge its sequence number + 1). Told apart here, since no display filter can.
 */
function dataAcknowledgements(packets: readonly Packet[]): Set<number> {
  const controls = new Map<string, number[]>();
  const data = new Set<number>();
  for (const { frame, source, destination, tcp } of packets) {
    if (!tcp) continue;
    if (tcp.syn || tcp.fin) {
      const key = `${tcp.stream} ${endpointText(source)}`;
      (controls.get(key) ?? controls.set(key, []).get(key)!).push(tcp.seq + tcp.len + 1);
    } else if (tcp.len === 0 && !tcp.reset && !(controls.get(`${tcp.stream} ${endpointText(destination)}`) ?? []).includes(tcp.ack)) {
      data.add(frame);
    }
  }
  return data;
}

function matchesEndpoint(actual: Required<Endpoint>, wanted: Endpoint): boolean {
  return (wanted.address === undefined || wanted.address === actual.address) && (wanted.port === undefined || wanted.port === actual.port);
}

function touches(packet: Packet, endpoint: Endpoint): boolean {
  return matchesEndpoint(packet.source, endpoint) || matchesEndpoint(packet.destination, endpoint);
}

/**
 * The side's endpoint: the one given, which some packet must come from; else, when every packet
 * is between the same two endpoints, the one that sent the first (its peer is tried too).
 */
function chooseSide(packets: Packet[], given: Endpoint | undefined, name: string): { endpoint: Endpoint; peer?: Endpoint } | { problem: Diagnostic } {
  if (given) {
    if (packets.some((p) => matchesEndpoint(p.source, given))) return { endpoint: given };
    const seen = [...new Set(packets.flatMap((p) => [endpointText(p.source), endpointText(p.destination)]))];
    return { problem: error(DiagnosticCodes.UNKNOWN_SIDE, `no packet of ${name} comes from ${endpointText(given)}; its endpoints are ${seen.join(', ')}`) };
  }
  const pair = (p: Packet) => [endpointText(p.source), endpointText(p.destination)].sort().join(' ↔ ');
  const conversations = [...new Set(packets.map(pair))];
  if (conversations.length > 1) {
    return {
      problem: error(
        DiagnosticCodes.UNKNOWN_SIDE,
        `${name} holds ${conversations.length} conversations (${conversations.join('; ')}): say which endpoint is the side's with --endpoint ADDR:PORT (or :PORT)`,
      ),
    };
  }
  const first = packets[0]!;
  return { endpoint: first.source, peer: first.destination };
}

interface TsharkRun {
  stdout: string;
  warnings: Diagnostic[];
  failure?: Diagnostic;
}

/** tshark's own words for a file it cannot read, and for one cut short (whose packets it still lists). */
const CUT_SHORT = /appears to have been cut short|truncated/i;

/** Runs tshark once over the capture, within the time limit; what it cannot read becomes a diagnostic. */
function runTshark(options: CaptureOptions, args: string[], name: string): Promise<TsharkRun> {
  return new Promise((done) => {
    const child = spawn(options.tshark, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done({
        stdout: '',
        warnings: [],
        failure: error(
          DiagnosticCodes.TSHARK_FAILED,
          `tshark took longer than ${options.timeoutMs / 1000} s to read ${name} (--render-timeout sets the limit)`,
        ),
      });
    }, options.timeoutMs);
    child.on('error', (cause) => {
      clearTimeout(timer);
      done({ stdout: '', warnings: [], failure: error(DiagnosticCodes.TSHARK_FAILED, `tshark could not be run: ${cause.message}`) });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const said = stderr
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && !/^Running as user/.test(line))
        .join(' ');
      if (CUT_SHORT.test(said)) {
        done({ stdout, warnings: [warning(DiagnosticCodes.TRACE_INCOMPLETE, `${name} is cut short: tshark read the packets before the cut (${said})`)] });
      } else if (code !== 0) {
        const what = /isn't a capture file|unknown format|not a capture file/i.test(said) ? DiagnosticCodes.TRACE_FORMAT : DiagnosticCodes.TSHARK_FAILED;
        done({ stdout: '', warnings: [], failure: error(what, `tshark cannot read ${name}: ${said || `exit code ${code}`}`) });
      } else {
        done({ stdout, warnings: [] });
      }
    });
  });
}
