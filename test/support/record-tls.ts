import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Real TLS handshakes on loopback, recorded as the two trace formats protoflow reads. The
 * certificates are made afresh for each test run; nothing recorded is kept between runs.
 */

export interface Handshake {
  version: 'TLS 1.2' | 'TLS 1.3';
  /** OpenSSL's name for the one TLS 1.2 cipher suite offered, e.g. AES128-SHA256; OpenSSL's default list when absent. */
  cipher?: string;
  /** The server asks for a client certificate and verifies it. */
  clientAuth?: boolean;
  /** Who closes first: the client (default), or the server, as `s_server -www` does after an HTTP/1.0 response. */
  closer?: 'client' | 'server';
}

/** What each side recorded. */
export interface Recording {
  client: string;
  server: string;
}

export interface Certificates {
  dir: string;
  serverKey: string;
  serverCert: string;
  clientKey: string;
  clientCert: string;
}

/** A throwaway self-signed server certificate, and one for the client that the server trusts. */
export function makeCertificates(): Certificates {
  const dir = mkdtempSync(join(tmpdir(), 'protoflow-tls-'));
  const make = (name: string) => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${name}`,
        '-keyout',
        join(dir, `${name}.key`),
        '-out',
        join(dir, `${name}.crt`),
      ],
      {
        stdio: 'ignore',
      },
    );
  };
  make('localhost');
  make('client');
  return {
    dir,
    serverKey: join(dir, 'localhost.key'),
    serverCert: join(dir, 'localhost.crt'),
    clientKey: join(dir, 'client.key'),
    clientCert: join(dir, 'client.crt'),
  };
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** Output of a child process, with a way to wait for a text to appear in it. */
function collect(child: ReturnType<typeof spawn>) {
  let text = '';
  const waiting: { needle: string; done: () => void }[] = [];
  const add = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const wait of waiting.filter((w) => text.includes(w.needle))) {
      waiting.splice(waiting.indexOf(wait), 1);
      wait.done();
    }
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    text: () => text,
    exited,
    waitFor: (needle: string, ms = 20_000) =>
      new Promise<void>((done, fail) => {
        if (text.includes(needle)) return done();
        const timer = setTimeout(() => fail(new Error(`no "${needle}" within ${ms} ms in:\n${text}`)), ms);
        waiting.push({
          needle,
          done: () => {
            clearTimeout(timer);
            done();
          },
        });
      }),
  };
}

/**
 * `openssl s_server -msg` and `openssl s_client -msg` talking to each other: the client sends a
 * line, the server (-rev) answers it, then the client closes (close_notify) and the server,
 * which takes this one connection only, answers the close and exits. With `closer: 'server'` the
 * client sends an HTTP/1.0 request, and the server (-www) answers it and closes first.
 */
export async function recordOpenSsl(certs: Certificates, handshake: Handshake, on: { port?: number; keylog?: string } = {}): Promise<Recording> {
  const port = on.port ?? (await freePort());
  const serverCloses = handshake.closer === 'server';
  const serverArgs = [
    's_server',
    '-accept',
    `127.0.0.1:${port}`,
    '-naccept',
    '1',
    '-cert',
    certs.serverCert,
    '-key',
    certs.serverKey,
    '-msg',
    serverCloses ? '-www' : '-rev',
  ];
  if (handshake.clientAuth) serverArgs.push('-Verify', '1', '-CAfile', certs.clientCert);
  const server = spawn('openssl', serverArgs, { stdio: ['pipe', 'pipe', 'pipe'] });
  const serverOut = collect(server);
  const clientArgs = ['s_client', '-connect', `127.0.0.1:${port}`, '-msg', '-servername', 'localhost'];
  clientArgs.push(handshake.version === 'TLS 1.2' ? '-tls1_2' : '-tls1_3', ...(handshake.cipher ? ['-cipher', handshake.cipher] : []));
  if (handshake.clientAuth) clientArgs.push('-cert', certs.clientCert, '-key', certs.clientKey);
  if (on.keylog) clientArgs.push('-keylogfile', on.keylog);
  let client: ReturnType<typeof spawn> | undefined;
  try {
    await serverOut.waitFor('ACCEPT');
    client = spawn('openssl', clientArgs, { stdio: ['pipe', 'pipe', 'pipe'] });
    const clientOut = collect(client);
    // TLS 1.3 sends its session tickets after the handshake: wait for them before the request, as a client would.
    await clientOut.waitFor(handshake.version === 'TLS 1.2' ? 'Verify return code' : 'NewSessionTicket');
    if (serverCloses) {
      // The server answers with a status page and closes; the client answers the close and exits.
      client.stdin!.write('GET / HTTP/1.0\r\n\r\n');
      await clientOut.waitFor('closed');
    } else {
      client.stdin!.write('protoflow\n');
      await clientOut.waitFor('wolfotorp');
    }
    client.stdin!.end();
    await Promise.all([clientOut.exited, serverOut.exited]);
    return { client: clientOut.text(), server: serverOut.text() };
  } finally {
    // Only left running when something above failed.
    server.kill();
    client?.kill();
  }
}

const NODE_PEER = resolve('test/support/node-tls-peer.mjs');

/** Node's `tls` on both ends, in one process, tracing (enableTrace) the side asked for. */
export async function recordNode(certs: Certificates, handshake: Handshake, side: 'client' | 'server'): Promise<string> {
  const child = spawn(process.execPath, [NODE_PEER, JSON.stringify({ ...certs, ...handshake, side })], { stdio: ['ignore', 'pipe', 'pipe'] });
  let trace = '';
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (trace += chunk.toString('utf8')));
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  if (code !== 0 || !output.includes('closed')) throw new Error(`the Node TLS peer failed (${code}): ${output}\n${trace}`);
  return trace;
}
