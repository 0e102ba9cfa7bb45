import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protoflow } from './support/cli.js';
import { conform, type Conformance } from '../src/conform/conform.js';
import { scenarioText } from '../src/scenarios/scenario.js';
import { compileSpec, type CompiledSpec } from '../src/compile/load-spec.js';
import { readTrace } from '../src/trace/readers.js';
import { makeCertificates, recordNode, recordOpenSsl, type Certificates, type Handshake, type Recording } from './support/record-tls.js';
import { HOST } from './support/host.js';
import { messageLine } from './support/spec-lines.js';

const SPEC = 'specs/https-tls12.yaml';
const SPEC_TEXT = readFileSync(SPEC, 'utf8');

/** The line of the spec where the step with this id starts (its `- message:` line). */
const specLine = (id: string): number => messageLine(SPEC_TEXT, id);

/** The 1-based line of the trace that contains `text`, the first from `after` on. */
function lineOf(trace: string, text: string, after = 0): number {
  return trace.split('\n').findIndex((line, i) => i >= after && line.includes(text)) + 1;
}

let spec: CompiledSpec;
let certs: Certificates;

beforeAll(() => {
  const compiled = compileSpec({ name: SPEC, text: SPEC_TEXT }, HOST.cwd);
  expect(compiled.diagnostics).toEqual([]);
  spec = compiled.value!;
  certs = makeCertificates();
});

afterAll(() => rmSync(certs.dir, { recursive: true, force: true }));

function check(text: string, side: 'client' | 'server', name = 'trace.txt'): Conformance {
  const read = readTrace({ name, text });
  expect(read.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const result = conform(spec, read.value!, side);
  expect(result.diagnostics).toEqual([]);
  return result.value!;
}

const exactly = (conformance: Conformance) => conformance.fits.filter((fit) => fit.cost === 0).map((fit) => scenarioText(fit.scenario));

const HANDSHAKES: [string, Handshake, string][] = [
  ['RSA key exchange (AES128-SHA256)', { version: 'TLS 1.2', cipher: 'AES128-SHA256' }, 'keyExchange=rsa,clientAuth=off,closer=client'],
  ['ephemeral ECDHE', { version: 'TLS 1.2', cipher: 'ECDHE-RSA-AES128-GCM-SHA256' }, 'keyExchange=ephemeral-dh,clientAuth=off,closer=client'],
  ['ephemeral DHE', { version: 'TLS 1.2', cipher: 'DHE-RSA-AES128-GCM-SHA256' }, 'keyExchange=ephemeral-dh,clientAuth=off,closer=client'],
  [
    'client authentication (ECDHE)',
    { version: 'TLS 1.2', cipher: 'ECDHE-RSA-AES128-GCM-SHA256', clientAuth: true },
    'keyExchange=ephemeral-dh,clientAuth=on,closer=client',
  ],
  [
    'client authentication with RSA key exchange',
    { version: 'TLS 1.2', cipher: 'AES128-SHA256', clientAuth: true },
    'keyExchange=rsa,clientAuth=on,closer=client',
  ],
  ["OpenSSL's default TLS 1.2 handshake (session ticket included)", { version: 'TLS 1.2' }, 'keyExchange=ephemeral-dh,clientAuth=off,closer=client'],
  // An HTTP/1.0 server (s_server -www) closes first: its close_notify, then the client's.
  ['the server closing first (HTTP/1.0)', { version: 'TLS 1.2', closer: 'server' }, 'keyExchange=ephemeral-dh,clientAuth=off,closer=server'],
];

describe('real handshakes recorded on loopback conform to their scenario of specs/https-tls12.yaml, and to no other exactly', () => {
  for (const [name, handshake, scenario] of HANDSHAKES) {
    it(`${name}: openssl s_client -msg and s_server -msg`, async () => {
      const recording = await recordOpenSsl(certs, handshake);
      for (const side of ['client', 'server'] as const) {
        const result = check(recording[side], side);
        expect(result.trace.format).toBe('OpenSSL -msg');
        expect(result.trace.facts.version?.value).toBe('TLS 1.2');
        expect(exactly(result), `${side}: ${result.fits[0]!.deviations.map((d) => d.message).join('\n')}`).toEqual([scenario]);
      }
    });

    it(`${name}: Node's tls with enableTrace()`, async () => {
      for (const side of ['client', 'server'] as const) {
        const result = check(await recordNode(certs, handshake, side), side);
        expect(result.trace.format).toBe('Node enableTrace()');
        expect(exactly(result), `${side}: ${result.fits[0]!.deviations.map((d) => d.message).join('\n')}`).toEqual([scenario]);
      }
    });
  }

  it('tells the key exchanges apart by the cipher suite, which the bundled spec maps, where the messages alone cannot', async () => {
    const recording = await recordOpenSsl(certs, { version: 'TLS 1.2', cipher: 'AES128-SHA256' });
    const result = check(recording.client, 'client');
    expect(result.trace.facts.cipher?.value).toBe('TLS_RSA_WITH_AES_128_CBC_SHA256');
    const staticDh = result.fits.find((fit) => scenarioText(fit.scenario) === 'keyExchange=static-dh,clientAuth=off,closer=client')!;
    expect(staticDh.deviations).toEqual([
      {
        kind: 'fact',
        message:
          'the cipher suite is TLS_RSA_WITH_AES_128_CBC_SHA256, but Key exchange = Static Diffie-Hellman (DH/ECDH) expects TLS_DH_DSS_* or TLS_DH_RSA_* or TLS_ECDH_ECDSA_* or TLS_ECDH_RSA_*',
        traceLine: lineOf(recording.client, ', ServerHello'),
        spec: expect.objectContaining({ file: SPEC, line: SPEC_TEXT.split('\n').findIndex((l) => l.trim().startsWith('static-dh: [TLS_DH')) + 1 }),
      },
    ]);
  });
});

describe('tampered traces are reported with the right deviation and lines', () => {
  let recording: Recording;
  beforeAll(async () => {
    recording = await recordOpenSsl(certs, { version: 'TLS 1.2', cipher: 'AES128-SHA256' });
  });
  const rsa = (result: Conformance) => result.fits.find((fit) => scenarioText(fit.scenario) === 'keyExchange=rsa,clientAuth=off,closer=client')!;

  it('a line deleted: the message is missing, expected before the next one; the reader warns of the bare record', async () => {
    const lines = recording.client.split('\n');
    const deleted = lineOf(recording.client, ', ServerHelloDone');
    lines.splice(deleted - 1, 1);
    const text = lines.join('\n');
    const read = readTrace({ name: 'trace.txt', text });
    expect(read.diagnostics.map((d) => [d.code, d.span?.line, d.message])).toEqual([
      ['PF603', deleted - 2, 'a record of content type Handshake with no message after it; was a line of the trace deleted?'],
    ]);
    const result = conform(spec, read.value!, 'client').value!;
    expect(result.fits[0]!.cost).toBe(1);
    expect(rsa(result).deviations).toEqual([
      {
        kind: 'missing',
        message: 'missing Server Hello Done (14) (Server → Client), expected before ClientKeyExchange',
        traceLine: lineOf(text, ', ClientKeyExchange'),
        spec: expect.objectContaining({ file: SPEC, line: specLine('server-hello-done') }),
      },
    ]);
  });

  it('two lines swapped: the message is out of order, where the trace has it', async () => {
    const lines = recording.client.split('\n');
    const keyExchange = lineOf(recording.client, ', ClientKeyExchange');
    const changeCipherSpec = lineOf(recording.client, '>>> TLS 1.2, ChangeCipherSpec');
    [lines[keyExchange - 1], lines[changeCipherSpec - 1]] = [lines[changeCipherSpec - 1]!, lines[keyExchange - 1]!];
    const result = check(lines.join('\n'), 'client');
    const [deviation, ...others] = rsa(result).deviations;
    expect(others).toEqual([]);
    expect(deviation!.kind).toBe('out-of-order');
    // The alignment may read either message as the one moved; each is reported at its own line.
    if (deviation!.message.startsWith('ClientKeyExchange')) {
      expect(deviation!.traceLine).toBe(changeCipherSpec);
      expect(deviation!.spec?.line).toBe(specLine('client-key-exchange-rsa'));
    } else {
      expect(deviation!.message).toMatch(
        /^ChangeCipherSpec \(Client → Server\) is out of order: the spec's Change Cipher Spec \(20\) was expected before trace line \d+ \(Finished\)$/,
      );
      expect(deviation!.traceLine).toBe(keyExchange);
      expect(deviation!.spec?.line).toBe(specLine('client-change-cipher-spec'));
    }
  });

  it('a message added: it is unexpected, at its line, after the spec message before it', async () => {
    const lines = recording.client.split('\n');
    const after = lineOf(recording.client, ', Certificate');
    lines.splice(after, 0, '<<< TLS 1.2, Handshake [length 0004], HelloRequest', '    00 00 00 00');
    const result = check(lines.join('\n'), 'client');
    expect(rsa(result).deviations).toEqual([
      {
        kind: 'unexpected',
        message: 'unexpected HelloRequest (Server → Client): the scenario has no such message here, after Certificate (11)',
        traceLine: after + 1,
        spec: expect.objectContaining({ line: specLine('server-certificate') }),
      },
    ]);
  });

  it('a message turned round: it went the wrong way', async () => {
    const text = recording.client.replace('<<< TLS 1.2, Handshake [length 0004], ServerHelloDone', '>>> TLS 1.2, Handshake [length 0004], ServerHelloDone');
    const result = check(text, 'client');
    expect(rsa(result).deviations).toEqual([
      {
        kind: 'wrong-direction',
        message: 'ServerHelloDone went Client → Server, but the spec sends Server Hello Done (14) (Server → Client)',
        traceLine: lineOf(text, ', ServerHelloDone'),
        spec: expect.objectContaining({ line: specLine('server-hello-done') }),
      },
    ]);
  });

  it('the trace cut short: what it lacks is missing at its end, and the reader says where it stops', async () => {
    const cut = lineOf(recording.client, '>>> TLS 1.2, ChangeCipherSpec');
    const text = recording.client
      .split('\n')
      .slice(0, cut - 2)
      .join('\n');
    const read = readTrace({ name: 'trace.txt', text });
    expect(read.diagnostics.map((d) => [d.code, d.span?.line])).toEqual([['PF603', cut - 2]]);
    const missing = rsa(conform(spec, read.value!, 'client').value!).deviations.map((d) => d.message);
    expect(missing[0]).toBe('missing Change Cipher Spec (20) (Client → Server), expected at the end of the trace');
    expect(missing.every((m) => m.startsWith('missing '))).toBe(true);
  });
});

describe('a TLS 1.3 handshake against the TLS 1.2 spec', () => {
  it('is reported as not conforming, with the version and every deviation, not a crash', async () => {
    const recording = await recordOpenSsl(certs, { version: 'TLS 1.3' });
    const node = await recordNode(certs, { version: 'TLS 1.3' }, 'client');
    for (const [text, side] of [
      [recording.client, 'client'],
      [recording.server, 'server'],
      [node, 'client'],
    ] as const) {
      const result = check(text, side);
      expect(exactly(result)).toEqual([]);
      const best = result.fits[0]!;
      expect(best.deviations[0]!.message).toBe('the protocol version is TLS 1.3, but the spec expects TLS 1.2');
      expect(best.deviations.map((d) => d.message)).toContainEqual(expect.stringMatching(/^unexpected EncryptedExtensions/));
    }
  });
});

describe('protoflow conform', () => {
  let dir: string;
  let rsaTrace: string;
  let tls13Trace: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'protoflow-conform-'));
    rsaTrace = join(dir, 'rsa.txt');
    tls13Trace = join(dir, 'tls13.txt');
    writeFileSync(rsaTrace, (await recordOpenSsl(certs, { version: 'TLS 1.2', cipher: 'AES128-SHA256' })).client);
    writeFileSync(tls13Trace, (await recordOpenSsl(certs, { version: 'TLS 1.3' })).client);
  });
  const conformCli = (...args: string[]) => protoflow(['conform', ...args]);

  it('exits 0 and names the scenario when the recording conforms', async () => {
    const run = await conformCli(SPEC, '--trace', rsaTrace, '--side', 'client');
    expect(run.stderr).toBe('');
    // The client may or may not read the server's answering close_notify before it exits.
    const count = readTrace({ name: rsaTrace, text: readFileSync(rsaTrace, 'utf8') }).value!.events.length;
    expect(run.stdout).toBe(
      `${rsaTrace} (OpenSSL -msg, recorded by Client): TLS 1.2, TLS_RSA_WITH_AES_128_CBC_SHA256, ${count} message(s)\n` +
        `conforms to ${SPEC}, scenario Key exchange = RSA, Client authentication = Not required, Closes first = The client\n`,
    );
    expect(run.code).toBe(0);
  });

  it('exits 1 with a readable summary for a TLS 1.3 handshake, and --format json gives the same as data', async () => {
    const run = await conformCli(SPEC, '--trace', tls13Trace, '--side', 'client');
    expect(run.code).toBe(1);
    const [first, second, third] = run.stdout.split('\n');
    expect(first).toMatch(/^.*tls13\.txt \(OpenSSL -msg, recorded by Client\): TLS 1\.3, TLS_AES_\w+, \d+ message\(s\)$/);
    expect(second).toMatch(/^does not conform to specs\/https-tls12\.yaml: closest scenario .*, \d+ deviation\(s\) \(cost \d+\)$/);
    expect(third).toBe(
      `  ${tls13Trace}:${lineOf(readFileSync(tls13Trace, 'utf8'), ', ServerHello')} the protocol version is TLS 1.3, but the spec expects TLS 1.2 (${SPEC}:${lineOf(SPEC_TEXT, 'version: TLS 1.2')})`,
    );

    const json = await conformCli(SPEC, '--trace', tls13Trace, '--side', 'client', '--format', 'json');
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as {
      conforms: boolean;
      exact: string[];
      best: { deviations: { kind: string }[] };
      trace: { facts: { version: { value: string } }; events: unknown[] };
    };
    expect(report.conforms).toBe(false);
    expect(report.exact).toEqual([]);
    expect(report.trace.facts.version.value).toBe('TLS 1.3');
    expect(report.best.deviations[0]!.kind).toBe('fact');
  });

  it('--diagram draws the recording against the closest scenario in PlantUML and Mermaid, through the real renderers', async () => {
    const out = join(dir, 'diagrams');
    const run = await conformCli(SPEC, '--trace', tls13Trace, '--side', 'client', '--diagram', out, '--formats', 'source,svg');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const puml = readFileSync(join(out, 'tls13.conform.sequence.puml'), 'utf8');
    const mmd = readFileSync(join(out, 'tls13.conform.sequence.mmd'), 'utf8');
    expect(puml).toContain('P2 -[#D62728]> P1 : **EncryptedExtensions**');
    expect(puml).toContain('-[#999999,dashed]>');
    expect(mmd).toMatch(/rect rgba\(214, 39, 40, 0\.2\)\n {4}P2->>P1: EncryptedExtensions<br\/>line \d+: not expected here\n {2}end/);
    for (const image of ['tls13.conform.sequence.puml.svg', 'tls13.conform.sequence.mmd.svg']) {
      expect(readFileSync(join(out, image), 'utf8')).toMatch(/^(<\?xml[^>]*>)?<svg/);
    }
    expect(run.stdout).toContain(`wrote ${join(out, 'tls13.conform.sequence.mmd.svg')}`);
  });

  it("says so when the recording reads better as the other side's", async () => {
    const run = await conformCli(SPEC, '--trace', rsaTrace, '--side', 'server');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('does not conform');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('hint: read as recorded by Client (--side client), the recording conforms: is --side right?');
  });

  it('reads an unknown side, a trace it cannot read and a malformed line as diagnostics, and wrong arguments as usage errors', async () => {
    const side = await conformCli(SPEC, '--trace', rsaTrace, '--side', 'clinet');
    expect(side.code).toBe(2);
    expect(side.stderr).toContain(
      'error PF604 "clinet" is not a participant of HTTPS with TLS 1.2 (participants: client, server)\n  hint: did you mean "client"?',
    );

    const unreadable = join(dir, 'notes.txt');
    writeFileSync(unreadable, 'nothing to see\n');
    const format = await conformCli(SPEC, '--trace', unreadable, '--side', 'client');
    expect(format.code).toBe(1);
    expect(format.stderr).toContain(
      `error PF601 ${unreadable} is not a trace protoflow can read; it reads packet captures (pcap, pcapng) through tshark (--trace-format pcap), OpenSSL -msg (--trace-format openssl), Node enableTrace() (--trace-format node)`,
    );

    const malformed = join(dir, 'malformed.txt');
    writeFileSync(malformed, readFileSync(rsaTrace, 'utf8').replace('>>> TLS 1.2, ChangeCipherSpec [length 0001]', '>>> TLS 1.2 ChangeCipherSpec'));
    const broken = await conformCli(SPEC, '--trace', malformed, '--side', 'client');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(
      `${malformed}:${lineOf(readFileSync(malformed, 'utf8'), '>>> TLS 1.2 ChangeCipherSpec')}:1 error PF602 not an OpenSSL -msg line: ">>> TLS 1.2 ChangeCipherSpec"`,
    );

    expect((await conformCli(SPEC, '--side', 'client')).stderr).toContain('conform needs the recorded trace: --trace FILE');
    expect((await conformCli(SPEC, '--trace', rsaTrace)).code).toBe(2);
    expect((await conformCli(SPEC, '--trace', rsaTrace, '--side', 'client', '--trace-format', 'opensll')).stderr).toContain(
      'unknown trace format "opensll"; did you mean "openssl"?',
    );
    expect((await conformCli(SPEC, '--trace', rsaTrace, '--side', 'client', '--formats', 'svg')).stderr).toContain('give --diagram DIR too');
    expect((await protoflow(['build', '--trace', rsaTrace])).code).toBe(2);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

/** A recording made at "a" of messages it sent, by their names. */
const recording = (names: string[]) => ({
  file: 'trace.txt',
  format: 'OpenSSL -msg',
  events: names.map((name, i) => ({ name, sent: true, line: i + 1 })),
  facts: {},
});

describe('specs a recording cannot be compared with', () => {
  const HEADER = 'protoflow: 1\ntitle: T\nparticipants:\n  a: { label: A }\n  b: { label: B }\nphases:\n  - title: P\n    steps:\n';
  const compiled = (text: string) => {
    const result = compileSpec({ name: 'spec.yaml', text }, HOST.cwd);
    expect(result.diagnostics).toEqual([]);
    return result.value!;
  };

  it('without a trace key on any message of the side: PF605', async () => {
    const spec = compiled(`${HEADER}      - message: Hello\n        from: a\n        to: b\n`);
    expect(conform(spec, recording(['Hello']), 'a').diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      'PF605 no message to or from "a" says how a recording shows it: give the messages a "trace:" key, e.g. trace: ClientHello',
    ]);
  });

  it('whose parallel blocks interleave in more ways than can be checked: PF606', async () => {
    const branch = (n: number) =>
      `          - steps:\n${Array.from({ length: 40 }, (_, i) => `              - message: M${n}-${i}\n                from: a\n                to: b\n                trace: M${n}-${i}\n`).join('')}`;
    const spec = compiled(`${HEADER}      - par:\n${[1, 2, 3].map(branch).join('')}`);
    expect(conform(spec, recording(['M1-0']), 'a').diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      'PF606 T makes more than 50000 states to check a recording against (its parallel blocks interleave in too many ways)',
    ]);
  });
});

describe('a lost message', () => {
  it('is expected of its sender only: the receiver never sees it', async () => {
    const { directionAt } = await import('../src/conform/expected.js');
    const lost = { kind: 'message', label: 'Ping', from: 'a', to: 'b', fields: [], arrow: 'lost', abstract: false, trace: [], source: [] } as const;
    expect([directionAt({ ...lost, fields: [], trace: [] }, 'a'), directionAt({ ...lost, fields: [], trace: [] }, 'b')]).toEqual([true, null]);
  });
});

describe('a break', () => {
  const HEADER = 'protoflow: 1\ntitle: T\nparticipants:\n  a: { label: A }\n  b: { label: B }\n';
  const message = (name: string, indent: string) => `${indent}- message: ${name}\n${indent}  from: a\n${indent}  to: b\n${indent}  trace: ${name}\n`;
  const result = compileSpec(
    {
      name: 'spec.yaml',
      text: `${HEADER}variables:\n  deny: { values: { no: No, yes: Yes } }\nsteps:\n${message('Hello', '  ')}  - break:\n      label: Timeout\n      steps:\n${message('Bye', '        ')}  - par:\n      - steps:\n${message('Ping', '          ')}          - break:\n              when: { deny: yes }\n              steps:\n${message('Denied', '                ')}      - steps:\n${message('Pong', '          ')}${message('Done', '  ')}`,
    },
    HOST.cwd,
  );
  const spec = result.value!;
  const costs = (names: string[]) => Object.fromEntries(conform(spec, recording(names), 'a').value!.fits.map((fit) => [scenarioText(fit.scenario), fit.cost]));

  it('that may happen: the recording may end after its steps, or go on past it', () => {
    expect(result.diagnostics).toEqual([]);
    expect(costs(['Hello', 'Bye'])).toMatchObject({ 'deny=no': 0, 'deny=yes': 0 });
    expect(costs(['Hello', 'Ping', 'Pong', 'Done'])['deny=no']).toBe(0);
  });

  it('that happens, even inside one branch of a par: the recording ends there, and what follows would be unexpected', () => {
    expect(costs(['Hello', 'Ping', 'Denied'])['deny=yes']).toBe(0);
    expect(costs(['Hello', 'Pong', 'Ping', 'Denied'])['deny=yes']).toBe(0);
    expect(costs(['Hello', 'Ping', 'Denied', 'Done'])['deny=yes']).toBeGreaterThan(0);
    expect(costs(['Hello', 'Ping', 'Pong', 'Done'])['deny=yes']).toBeGreaterThan(0);
  });
});
