import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLoopback } from './support/capture.js';
import { protoflow } from './support/cli.js';
import { freePort, makeCertificates, recordOpenSsl, type Certificates } from './support/record-tls.js';
import { messageLine } from './support/spec-lines.js';
import { compileSpec } from '../src/compile/load-spec.js';
import type { Message } from '../src/ir/types.js';
import { HOST } from './support/host.js';

const SPEC = 'specs/https-tls12.yaml';
const SPEC_TEXT = readFileSync(SPEC, 'utf8');

/** The line of the spec where the step with this id starts (its `- message:` line). */
const specLine = (id: string): number => messageLine(SPEC_TEXT, id);

/** The frames of a capture that match a display filter, as tshark numbers them. */
function frames(pcap: string, port: number, filter: string): number[] {
  const args = ['-r', pcap, '-n', '-d', `tcp.port==${port},tls`, '-Y', filter, '-T', 'fields', '-e', 'frame.number'];
  return execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    .split('\n')
    .filter(Boolean)
    .map(Number);
}

let certs: Certificates;
let dir: string;

beforeAll(() => {
  certs = makeCertificates();
  dir = mkdtempSync(join(tmpdir(), 'protoflow-capture-'));
});

afterAll(() => {
  rmSync(certs.dir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

interface TlsCapture {
  pcap: string;
  keylog: string;
  port: number;
  /** The port is not TLS's own: tshark is told to read it as TLS. */
  decodeAs: string[];
}

/** A TLS 1.2 HTTPS exchange between openssl s_client and s_server, captured on loopback, with the client's key log. */
async function captureTls12(closer: 'client' | 'server'): Promise<TlsCapture> {
  const port = await freePort();
  const pcap = join(dir, `tls12-${closer}-${port}.pcap`);
  const keylog = join(dir, `keys-${port}.log`);
  await captureLoopback(pcap, `tcp port ${port}`, () => recordOpenSsl(certs, { version: 'TLS 1.2', closer }, { port, keylog }));
  return { pcap, keylog, port, decodeAs: ['--decode-as', `tcp.port==${port},tls`] };
}

const ECDHE = 'Key exchange = Ephemeral Diffie-Hellman (DHE/ECDHE/X25519), Client authentication = Not required';

describe('packet captures, read through tshark, conform to the bundled TLS 1.2 spec', () => {
  for (const closer of ['client', 'server'] as const) {
    it(`HTTPS with the ${closer} closing first, read from either end, with the endpoint given or found`, async () => {
      const { pcap, keylog, port, decodeAs } = await captureTls12(closer);
      for (const side of ['client', 'server']) {
        const run = await protoflow(['conform', SPEC, '--trace', pcap, '--side', side, '--keylog', keylog, ...decodeAs]);
        expect(run.stderr).toBe('');
        expect(run.stdout).toContain(`(packet capture (tshark), recorded by ${side === 'client' ? 'Client' : 'Server'}): TLS 1.2, TLS_ECDHE_`);
        expect(run.stdout).toContain(`conforms to ${SPEC}, scenario ${ECDHE}, Closes first = The ${closer}\n`);
        expect(run.code).toBe(0);
      }
      const pinned = await protoflow([
        'conform',
        SPEC,
        '--trace',
        pcap,
        '--side',
        'server',
        '--endpoint',
        `127.0.0.1:${port}`,
        '--keylog',
        keylog,
        ...decodeAs,
      ]);
      expect([pinned.code, pinned.stderr]).toEqual([0, '']);
    });
  }

  it('without the key log, reads the encrypted alerts by their content type and says what would read them', async () => {
    const { pcap, decodeAs } = await captureTls12('client');
    const run = await protoflow(['conform', SPEC, '--trace', pcap, '--side', 'client', ...decodeAs]);
    expect(run.stderr).toMatch(/warning PF603 .*TLS record\(s\) are encrypted and read by their content type only; give --keylog FILE/);
    expect(run.stdout).toContain('unexpected Alert(encrypted) (Client → Server)');
    expect(run.code).toBe(1);
  });

  it('a packet cut out (editcap): the missing message is located by frame in the capture and by line in the spec', async () => {
    const { pcap, keylog, port, decodeAs } = await captureTls12('client');
    // The client's request, the first application data: a packet of one record.
    const request = frames(pcap, port, 'tls.record.content_type == 23')[0]!;
    const cut = join(dir, 'cut.pcap');
    execFileSync('editcap', [pcap, cut, String(request)]);
    const run = await protoflow(['conform', SPEC, '--trace', cut, '--side', 'client', '--keylog', keylog, ...decodeAs]);
    expect(run.stdout).toContain(
      `${cut} frame ${request} missing Application Data (23) (Client → Server), expected before ApplicationData (${SPEC}:${specLine('http-request')})`,
    );
    expect(run.code).toBe(1);
  });
});

describe('TLS 1.3 from a capture: the handshake after the ServerHello is read with the key log', () => {
  it('conforms to its scenario of specs/tls13.yaml with --keylog; without it, the encrypted records stand for nothing', async () => {
    const port = await freePort();
    const pcap = join(dir, `tls13-${port}.pcap`);
    const keylog = join(dir, `keys13-${port}.log`);
    await captureLoopback(pcap, `tcp port ${port}`, () => recordOpenSsl(certs, { version: 'TLS 1.3' }, { port, keylog }));
    const args = ['conform', 'specs/tls13.yaml', '--trace', pcap, '--side', 'client', '--decode-as', `tcp.port==${port},tls`];
    const read = await protoflow([...args, '--keylog', keylog]);
    expect(read.stderr).toBe('');
    expect(read.stdout).toContain(': TLS 1.3, TLS_AES_256_GCM_SHA384, ');
    expect(read.stdout).toMatch(
      /conforms to specs\/tls13\.yaml, scenario Key exchange mode = \(EC\)DHE with certificates \(full handshake\), HelloRetryRequest = Not needed, 0-RTT early data = Not sent, Client authentication = Not requested, Closes first = The client\n/,
    );
    expect(read.code).toBe(0);
    const blind = await protoflow(args);
    expect(blind.stderr).toMatch(/warning PF603 .*are encrypted .*give --keylog FILE/);
    expect(blind.stdout).toMatch(/frame \d+ missing EncryptedExtensions \(8\) \(Server → Client\)/);
    expect(blind.code).toBe(1);
  });
});

describe('packet captures that cannot be read are clear diagnostics, never a hang', () => {
  it('a file that is not a capture', async () => {
    const file = join(dir, 'not.pcap');
    writeFileSync(file, 'this is no capture\n');
    const forced = await protoflow(['conform', SPEC, '--trace', file, '--side', 'client', '--trace-format', 'pcap']);
    expect(forced.stderr).toMatch(/error PF601 tshark cannot read .*not\.pcap: .*/);
    expect(forced.code).toBe(1);
    // Told by its bytes, it is a text file: no trace format knows it.
    const told = await protoflow(['conform', SPEC, '--trace', file, '--side', 'client']);
    expect(told.stderr).toMatch(/error PF601 .*not\.pcap is not a trace protoflow can read/);
  });

  it('a capture cut short: the packets before the cut are read, with a warning', async () => {
    const { pcap, keylog, decodeAs } = await captureTls12('client');
    const bytes = readFileSync(pcap);
    const truncated = join(dir, 'truncated.pcap');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 20));
    const run = await protoflow(['conform', SPEC, '--trace', truncated, '--side', 'client', '--keylog', keylog, ...decodeAs]);
    expect(run.stderr).toMatch(/warning PF603 .*truncated\.pcap is cut short: tshark read the packets before the cut/);
    expect(run.stdout).toMatch(/conforms|does not conform/);
  });

  it('a capture without TLS: the report says what it lacks and how TLS on another port is read; its handshake conforms to specs/tcp-handshake.yaml', async () => {
    const port = await freePort();
    const pcap = join(dir, 'plain.pcap');
    await captureLoopback(pcap, `tcp port ${port}`, async () => {
      const server = createServer((socket) => socket.end('pong\n'));
      await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
      await new Promise<void>((done) =>
        connect(port, '127.0.0.1')
          .on('data', () => undefined)
          .on('end', done),
      );
      await new Promise((done) => server.close(done));
    });
    const run = await protoflow(['conform', SPEC, '--trace', pcap, '--side', 'client']);
    expect(run.stderr).toContain(
      `warning PF603 ${pcap} shows no TLS record: if TLS runs on a port tshark does not take for TLS, say so with --decode-as tcp.port==PORT,tls`,
    );
    expect(run.stdout).toMatch(
      new RegExp(`${pcap} frame \\d+ missing Client Hello \\(1\\) \\(Client → Server\\), expected before .*FIN.* \\(${SPEC}:${specLine('client-hello')}\\)`),
    );
    expect(run.code).toBe(1);
    // Its TCP handshake is the bundled TCP spec's, read from either end.
    for (const side of ['client', 'server']) {
      const tcp = await protoflow(['conform', 'specs/tcp-handshake.yaml', '--trace', pcap, '--side', side, '--format', 'json']);
      const report = JSON.parse(tcp.stdout) as { exact: string[]; trace: { events: { name: string; direction: string; line: number }[] } };
      expect(report.exact).toEqual(['open=active']);
      expect(report.trace.events.map((e) => [e.line, e.direction])).toEqual(
        side === 'client'
          ? [
              [1, 'sent'],
              [2, 'received'],
              [3, 'sent'],
            ]
          : [
              [1, 'received'],
              [2, 'sent'],
              [3, 'received'],
            ],
      );
      expect(tcp.code).toBe(0);
    }
  });

  it('TCP connections closed from either side conform to their scenario of specs/tcp-teardown.yaml', async () => {
    for (const first of ['client', 'server'] as const) {
      const port = await freePort();
      const pcap = join(dir, `tcp-${first}-${port}.pcap`);
      await captureLoopback(pcap, `tcp port ${port}`, async () => {
        // Each side closes 50 ms after the other's FIN: its acknowledgement of that FIN goes on its own.
        const server = createServer({ allowHalfOpen: true }, (socket) => {
          socket.resume().on('end', () => setTimeout(() => socket.end(), 50));
          if (first === 'server') socket.end();
        });
        await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
        await new Promise<void>((done) => {
          const client = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
          client.resume().on('end', () => setTimeout(() => client.end(), 50));
          if (first === 'client') client.once('connect', () => client.end());
          client.once('close', () => done());
        });
        await new Promise((done) => server.close(done));
      });
      // Without its handshake a closing reads the same from either end: --endpoint says which is whose.
      const clientPort = execFileSync('tshark', ['-r', pcap, '-n', '-Y', 'tcp.flags.syn == 1 && tcp.flags.ack == 0', '-T', 'fields', '-e', 'tcp.srcport'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
      for (const [side, endpoint] of [
        ['client', `:${clientPort}`],
        ['server', `:${port}`],
      ]) {
        const run = await protoflow(['conform', 'specs/tcp-teardown.yaml', '--trace', pcap, '--side', side!, '--endpoint', endpoint!, '--format', 'json']);
        const report = JSON.parse(run.stdout) as { exact: string[] };
        // Each side closing on its own covers every order.
        expect(report.exact, `${first} first, read by the ${side}`).toEqual([`close=${first}-first`, 'close=either']);
        expect(run.code).toBe(0);
      }
    }
  });

  it('no tshark: says what to install', async () => {
    const { pcap } = await captureTls12('client');
    const run = await protoflow(['conform', SPEC, '--trace', pcap, '--side', 'client'], process.cwd(), { PATH: join(dir, 'nowhere') });
    expect(run.stderr).toMatch(/error PF607 .*is a packet capture, read through tshark, which is not installed; install/);
    expect(run.code).toBe(1);
  });

  it('tshark runs under the time limit', async () => {
    const { pcap, decodeAs } = await captureTls12('client');
    const run = await protoflow(['conform', SPEC, '--trace', pcap, '--side', 'client', '--render-timeout', '0.001', ...decodeAs]);
    expect(run.stderr).toMatch(/error PF608 tshark took longer than 0\.001 s to read/);
    expect(run.code).toBe(1);
  });
});

describe("a message's trace: for packet captures", () => {
  const lowered = (trace: string) =>
    compileSpec(
      { name: 'trace.yaml', text: `protoflow: 1\nparticipants: { a: {}, b: {} }\nsteps:\n  - message: M\n    from: a\n    to: b\n    trace: ${trace}\n` },
      HOST.cwd,
    );

  it('keeps names, and lowers fields and values to one display filter beside the filters written out', () => {
    const compiled = lowered('[Hello, { filter: "tcp.port == 1 or udp" }, { fields: { mqtt.msgtype: 3, mqtt.topic: "a/\\"b", tcp.flags.syn: true } }]');
    expect(compiled.diagnostics).toEqual([]);
    const message = compiled.value!.flow.phases[0]!.steps[0] as Message;
    expect(message.trace).toEqual(['Hello']);
    expect(message.traceFilters).toEqual(['tcp.port == 1 or udp', 'mqtt.msgtype == 3 && mqtt.topic == "a/\\"b" && tcp.flags.syn == 1']);
  });

  it('refuses fields without a field, at its line (a field Wireshark does not know is for tshark to say)', () => {
    expect(lowered('{ fields: {} }').diagnostics.map((d) => [d.code, d.span?.line, d.message])).toEqual([['PF205', 7, '"fields": name at least one field']]);
  });
});
