import type { TraceFactValue } from '../trace.js';
import { CIPHER_SUITES } from './cipher-suites.js';
import { alertEvent, ALERT, contentTypeName, HANDSHAKE } from './names.js';

/** Handshake message types (RFC 8446, 4; RFC 5246, 7.4) by the names TLS text traces give them. */
const HANDSHAKE_TYPES: ReadonlyMap<number, string> = new Map([
  [0, 'HelloRequest'],
  [1, 'ClientHello'],
  [2, 'ServerHello'],
  [4, 'NewSessionTicket'],
  [5, 'EndOfEarlyData'],
  [8, 'EncryptedExtensions'],
  [11, 'Certificate'],
  [12, 'ServerKeyExchange'],
  [13, 'CertificateRequest'],
  [14, 'ServerHelloDone'],
  [15, 'CertificateVerify'],
  [16, 'ClientKeyExchange'],
  [20, 'Finished'],
  [24, 'KeyUpdate'],
]);

/** Alert descriptions (RFC 8446, 6) by their names. */
const ALERT_DESCRIPTIONS: ReadonlyMap<number, string> = new Map([
  [0, 'close_notify'],
  [10, 'unexpected_message'],
  [20, 'bad_record_mac'],
  [22, 'record_overflow'],
  [40, 'handshake_failure'],
  [42, 'bad_certificate'],
  [43, 'unsupported_certificate'],
  [44, 'certificate_revoked'],
  [45, 'certificate_expired'],
  [46, 'certificate_unknown'],
  [47, 'illegal_parameter'],
  [48, 'unknown_ca'],
  [49, 'access_denied'],
  [50, 'decode_error'],
  [51, 'decrypt_error'],
  [70, 'protocol_version'],
  [71, 'insufficient_security'],
  [80, 'internal_error'],
  [86, 'inappropriate_fallback'],
  [90, 'user_canceled'],
  [100, 'no_renegotiation'],
  [109, 'missing_extension'],
  [110, 'unsupported_extension'],
  [112, 'unrecognized_name'],
  [113, 'bad_certificate_status_response'],
  [115, 'unknown_psk_identity'],
  [116, 'certificate_required'],
  [120, 'no_application_protocol'],
]);

const VERSIONS: ReadonlyMap<number, string> = new Map([
  [0x0301, 'TLS 1.0'],
  [0x0302, 'TLS 1.1'],
  [0x0303, 'TLS 1.2'],
  [0x0304, 'TLS 1.3'],
]);

/** tshark's JSON (`-T json --no-duplicate-keys`): a field is a string, an object or a list of either. */
type Json = string | { [key: string]: Json } | Json[];
type Tree = { [key: string]: Json };

const list = (value: Json | undefined): Json[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const trees = (value: Json | undefined): Tree[] => list(value).filter((v): v is Tree => typeof v === 'object' && !Array.isArray(v));
const text = (value: Json | undefined): string | undefined => list(value).find((v): v is string => typeof v === 'string');
const number = (value: Json | undefined): number | undefined => {
  const found = text(value);
  return found === undefined || found === '' ? undefined : Number(found);
};

/** Every value of `key` anywhere below `tree` (extensions sit under a key named after the extension). */
function find(tree: Json, key: string): Json[] {
  if (typeof tree === 'string') return [];
  if (Array.isArray(tree)) return tree.flatMap((item) => find(item, key));
  return Object.entries(tree).flatMap(([k, v]) => (k === key ? list(v) : find(v, key)));
}

export interface TlsCapture {
  events: { frame: number; name: string }[];
  facts: Record<string, TraceFactValue>;
  /** Records whose insides were encrypted, named by their content type only. */
  encrypted: number;
}

/** The TLS messages of each packet of tshark's JSON, in order: what a text trace of either end shows. */
export function tlsEvents(json: string): TlsCapture {
  const packets = JSON.parse(json === '' ? '[]' : json) as { _source: { layers: Tree } }[];
  const events: TlsCapture['events'] = [];
  const facts: Record<string, TraceFactValue> = {};
  let encrypted = 0;
  for (const packet of packets) {
    const layers = packet._source.layers;
    const frame = number(trees(layers.frame)[0]?.['frame.number']) ?? 0;
    for (const tls of trees(layers.tls)) {
      for (const record of trees(tls['tls.record'])) {
        const type = number(record['tls.record.content_type']);
        if (type === undefined) {
          // TLS 1.3 without the keys: the true content type is inside the encryption (RFC 8446, 5.2).
          const opaque = number(record['tls.record.opaque_type']);
          if (opaque !== undefined) {
            encrypted++;
            events.push({ frame, name: contentTypeName(opaque) });
          }
        } else if (type === HANDSHAKE) {
          const messages = trees(record['tls.handshake']);
          if (messages.length === 0) {
            // TLS 1.2: the one handshake message after ChangeCipherSpec is Finished, encrypted (RFC 5246, 7.4.9).
            encrypted++;
            events.push({ frame, name: 'Finished' });
            continue;
          }
          for (const message of messages) {
            const handshakeType = number(message['tls.handshake.type']);
            const name = handshakeType === undefined ? 'Handshake' : (HANDSHAKE_TYPES.get(handshakeType) ?? `Handshake(${handshakeType})`);
            events.push({ frame, name });
            if (handshakeType === 2) Object.assign(facts, serverHelloFacts(message, frame));
          }
        } else if (type === ALERT) {
          const alert = trees(record['tls.alert_message'])[0];
          const description = number(alert?.['tls.alert_message.desc']);
          if (description === undefined) encrypted++;
          events.push({
            frame,
            name: description === undefined ? 'Alert(encrypted)' : alertEvent(ALERT_DESCRIPTIONS.get(description) ?? `alert_${description}`),
          });
        } else {
          events.push({ frame, name: contentTypeName(type) });
        }
      }
    }
  }
  return { events, facts, encrypted };
}

/** The negotiated version (supported_versions, else the ServerHello's own) and cipher suite. */
function serverHelloFacts(message: Tree, frame: number): Record<string, TraceFactValue> {
  const facts: Record<string, TraceFactValue> = {};
  const supported = find(message, 'tls.handshake.extensions.supported_version').map((v) => number(v));
  const version = supported.find((v) => v !== undefined) ?? number(message['tls.handshake.version']);
  if (version !== undefined) facts.version = { value: VERSIONS.get(version) ?? `0x${version.toString(16).padStart(4, '0')}`, line: frame };
  const suite = number(message['tls.handshake.ciphersuite']);
  if (suite !== undefined) facts.cipher = { value: CIPHER_SUITES.get(suite) ?? `0x${suite.toString(16).padStart(4, '0')}`, line: frame };
  return facts;
}
