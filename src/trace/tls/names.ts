/** TLS record content types (RFC 8446, 5.1) and the event names a trace shows them as. */
const CONTENT_TYPES: ReadonlyMap<number, string> = new Map([
  [20, 'ChangeCipherSpec'],
  [21, 'Alert'],
  [22, 'Handshake'],
  [23, 'ApplicationData'],
  [24, 'Heartbeat'],
]);

export const CHANGE_CIPHER_SPEC = 20;
export const ALERT = 21;
export const HANDSHAKE = 22;
export const APPLICATION_DATA = 23;

/**
 * `Alert(close_notify)`. OpenSSL names alerts two ways: `close_notify` (s_client -msg) and
 * `close notify` (SSL_trace, behind Node's enableTrace); both become the RFC's name.
 */
export function alertEvent(description: string): string {
  return `Alert(${description.trim().toLowerCase().replace(/\s+/g, '_')})`;
}

/**
 * What a record that showed no message of its own stands for: OpenSSL prints a received
 * ChangeCipherSpec and application data as a bare record header. Undefined for records that
 * always carry a message line (handshake, alert), whose absence means the trace lost a line.
 */
export function bareRecordEvent(contentType: number): string | undefined {
  if (contentType === CHANGE_CIPHER_SPEC || contentType === APPLICATION_DATA) return CONTENT_TYPES.get(contentType);
  return undefined;
}

export function contentTypeName(contentType: number): string {
  return CONTENT_TYPES.get(contentType) ?? `content type ${contentType}`;
}
