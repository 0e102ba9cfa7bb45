// Both ends of one TLS connection in Node, for test/support/record-tls.ts: the client sends a
// line, the server answers it, the client closes (close_notify) and the server answers the close;
// with `closer: 'server'`, the server closes right after its answer and the client answers the close.
// The side named in the argument calls enableTrace(), which OpenSSL prints on stderr.
import { readFileSync } from 'node:fs';
import tls from 'node:tls';

const { serverKey, serverCert, clientKey, clientCert, version, cipher, clientAuth, closer, side } = JSON.parse(process.argv[2]);
const versions = version === 'TLS 1.2' ? { maxVersion: 'TLSv1.2', ...(cipher ? { ciphers: cipher } : {}) } : { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' };

const server = tls.createServer(
  {
    key: readFileSync(serverKey),
    cert: readFileSync(serverCert),
    dhparam: 'auto',
    ...versions,
    ...(clientAuth ? { requestCert: true, rejectUnauthorized: true, ca: [readFileSync(clientCert)] } : {}),
    enableTrace: side === 'server',
  },
  (socket) =>
    socket.on('data', (line) => {
      socket.write(`${String(line).trim().split('').reverse().join('')}\n`);
      if (closer === 'server') socket.end();
    }),
);
server.listen(0, '127.0.0.1', () => {
  const client = tls.connect({
    host: '127.0.0.1',
    port: server.address().port,
    ca: [readFileSync(serverCert)],
    checkServerIdentity: () => undefined,
    ...versions,
    ...(clientAuth ? { key: readFileSync(clientKey), cert: readFileSync(clientCert) } : {}),
  });
  if (side === 'client') client.enableTrace();
  client.on('secureConnect', () => client.write('protoflow\n'));
  client.on('data', () => {
    if (closer !== 'server') client.end();
  });
  client.on('error', (cause) => {
    console.log(`client error: ${cause.message}`);
    process.exitCode = 1;
  });
  client.on('close', () => {
    console.log('closed');
    server.close();
  });
});
