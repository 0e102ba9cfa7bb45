import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conform } from '../src/conform/conform.js';
import { drawnSteps, messagesAndActions } from '../src/ir/steps.js';
import type { FlowIR, Message, Step } from '../src/ir/types.js';
import { declaredScenarios } from '../src/scenarios/declared.js';
import { projectFlow } from '../src/scenarios/projection.js';
import { scenarioText, type Scenario } from '../src/scenarios/scenario.js';
import { compileSpec } from '../src/compile/load-spec.js';
import { readTrace } from '../src/trace/readers.js';
import { makeCertificates, recordNode, recordOpenSsl, type Certificates } from './support/record-tls.js';
import { HOST } from './support/host.js';

/**
 * specs/tls13.yaml against RFC 8446: every scenario the build draws shows the messages the RFC
 * prescribes for it, in the RFC's order, and nothing TLS 1.3 does not have.
 */

const SPEC = 'specs/tls13.yaml';
const compiled = compileSpec({ name: SPEC, text: readFileSync(SPEC, 'utf8') }, HOST.cwd);
if (!compiled.value) throw new Error(`${SPEC} does not compile: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
const FLOW = compiled.value.flow;

/** The messages the diagram draws: the TCP connection around TLS is drawn as two reference boxes, which hold TCP's. */
const messagesOf = (flow: FlowIR): Message[] => flow.phases.flatMap((p) => drawnSteps(p.steps)).filter((s): s is Message => s.kind === 'message');

/** `C→S ClientHello`: a message as the RFC's figures show it, with its direction. */
const named = (m: Message): string => `${m.from === 'client' ? 'C→S' : 'S→C'} ${m.label}`;

/** One scenario the build draws, its messages in order, and what RFC 8446 makes of its values. */
interface Run {
  name: string;
  messages: Message[];
  names: string[];
  psk: boolean;
  retry: boolean;
  early: boolean;
  clientAuth: boolean;
}

const RUNS: Run[] = declaredScenarios(FLOW).map(({ scenario }: { scenario: Scenario }) => {
  const messages = messagesOf(projectFlow(FLOW, scenario));
  return {
    name: scenarioText(scenario),
    messages,
    names: messages.map(named),
    psk: scenario.get('keyExchangeMode') !== 'dhe',
    retry: scenario.get('helloRetry') === 'on',
    early: scenario.get('earlyData') === 'on',
    clientAuth: scenario.get('clientAuth') === 'on',
  };
});

const count = (run: Run, name: string) => run.names.filter((n) => n === name).length;
const indexOf = (run: Run, name: string) => run.names.indexOf(name);

/** The handshake messages (no records of other content types, no post-handshake messages), in order. */
const HANDSHAKE_ONLY = /^(?!.*(ChangeCipherSpec|Application Data|Alert|NewSessionTicket))/;
const handshake = (run: Run) => run.names.filter((n) => HANDSHAKE_ONLY.test(n));

describe('specs/tls13.yaml', () => {
  it('compiles without any diagnostic, warnings included', () => {
    expect(compiled.diagnostics).toEqual([]);
  });

  it('draws every combination the RFC allows, and none it forbids', () => {
    expect(RUNS.map((r) => r.name)).toEqual(
      [
        'keyExchangeMode=dhe,helloRetry=off,earlyData=off,clientAuth=off',
        'keyExchangeMode=dhe,helloRetry=off,earlyData=off,clientAuth=on',
        'keyExchangeMode=dhe,helloRetry=on,earlyData=off,clientAuth=off',
        'keyExchangeMode=dhe,helloRetry=on,earlyData=off,clientAuth=on',
        'keyExchangeMode=psk-dhe,helloRetry=off,earlyData=off,clientAuth=off',
        'keyExchangeMode=psk-dhe,helloRetry=off,earlyData=on,clientAuth=off',
        'keyExchangeMode=psk-dhe,helloRetry=on,earlyData=off,clientAuth=off',
        'keyExchangeMode=psk,helloRetry=off,earlyData=off,clientAuth=off',
        'keyExchangeMode=psk,helloRetry=off,earlyData=on,clientAuth=off',
      ].flatMap((name) => [`${name},closer=client`, `${name},closer=server`]),
    );
    // 4.3.2: a server authenticating with a PSK MUST NOT send a CertificateRequest; 2.3: 0-RTT needs a PSK.
    expect(RUNS.filter((r) => r.psk && r.clientAuth)).toEqual([]);
    expect(RUNS.filter((r) => !r.psk && r.early)).toEqual([]);
  });

  it('has no ServerKeyExchange, ServerHelloDone or ClientKeyExchange anywhere (TLS 1.2 messages)', () => {
    const labels = messagesOf(FLOW).map((m) => m.label.replace(/\s+/g, ''));
    expect(labels).toContain('ServerHello');
    for (const gone of ['ServerKeyExchange', 'ServerHelloDone', 'ClientKeyExchange']) expect(labels).not.toContain(gone);
  });

  it('never requires a ChangeCipherSpec: each lies directly inside an opt without condition (D.4)', () => {
    const found: string[] = [];
    const walk = (steps: readonly Step[], parent: Step | undefined): void => {
      for (const step of steps) {
        if (step.kind === 'message' && step.label === 'ChangeCipherSpec') {
          found.push(step.id ?? step.label);
          expect(parent?.kind, `${step.id} is in a ${parent?.kind ?? 'phase'}`).toBe('opt');
          expect(parent?.kind === 'opt' && parent.condition, `${step.id} is in an opt with a condition`).toBeUndefined();
        }
        if (step.kind === 'alt' || step.kind === 'par') step.branches.forEach((b) => walk(b.steps, step));
        else if ('steps' in step) walk(step.steps, step);
      }
    };
    for (const phase of FLOW.phases) walk(phase.steps, undefined);
    expect(found.length).toBeGreaterThan(0);
  });

  it('has EncryptedExtensions in every scenario, from the server, after the ServerHello (4.3.1)', () => {
    for (const run of RUNS) {
      expect(count(run, 'S→C EncryptedExtensions'), run.name).toBe(1);
      const messages = handshake(run);
      expect(messages[messages.indexOf('S→C ServerHello') + 1], run.name).toBe('S→C EncryptedExtensions');
    }
  });

  it('has EndOfEarlyData exactly with 0-RTT data, from the client, after the server Finished and before its own (4.5)', () => {
    expect(RUNS.filter((r) => r.early).length).toBeGreaterThan(0);
    for (const run of RUNS) {
      expect(count(run, 'C→S EndOfEarlyData'), run.name).toBe(run.early ? 1 : 0);
      expect(count(run, 'C→S Application Data (0-RTT)'), run.name).toBe(run.early ? 1 : 0);
      if (!run.early) continue;
      const end = indexOf(run, 'C→S EndOfEarlyData');
      expect(end, run.name).toBeGreaterThan(indexOf(run, 'S→C Finished'));
      expect(end, run.name).toBeLessThan(indexOf(run, 'C→S Finished'));
      // 2.3: the early data goes with the first flight, before the server has answered.
      expect(indexOf(run, 'C→S Application Data (0-RTT)'), run.name).toBeLessThan(indexOf(run, 'S→C ServerHello'));
    }
  });

  it('has a HelloRetryRequest exactly in the retry scenarios, between two ClientHellos (4.1.4)', () => {
    expect(RUNS.filter((r) => r.retry).length).toBeGreaterThan(0);
    for (const run of RUNS) {
      expect(count(run, 'S→C HelloRetryRequest'), run.name).toBe(run.retry ? 1 : 0);
      expect(count(run, 'C→S ClientHello'), run.name).toBe(run.retry ? 2 : 1);
      expect(count(run, 'S→C ServerHello'), run.name).toBe(1);
      if (run.retry) expect(handshake(run).slice(0, 4), run.name).toEqual(['C→S ClientHello', 'S→C HelloRetryRequest', 'C→S ClientHello', 'S→C ServerHello']);
    }
  });

  it('authenticates the server by certificate exactly without a PSK, and the client exactly when asked (4.4.2, 4.3.2)', () => {
    for (const run of RUNS) {
      expect(count(run, 'S→C Certificate'), run.name).toBe(run.psk ? 0 : 1);
      expect(count(run, 'S→C CertificateVerify'), run.name).toBe(run.psk ? 0 : 1);
      expect(count(run, 'S→C CertificateRequest'), run.name).toBe(run.clientAuth ? 1 : 0);
      expect(count(run, 'C→S Certificate'), run.name).toBe(run.clientAuth ? 1 : 0);
      expect(count(run, 'C→S CertificateVerify'), run.name).toBe(run.clientAuth ? 1 : 0);
    }
  });

  it('orders the handshake as RFC 8446 section 2 does', () => {
    for (const run of RUNS) {
      expect(handshake(run), run.name).toEqual([
        'C→S ClientHello',
        ...(run.retry ? ['S→C HelloRetryRequest', 'C→S ClientHello'] : []),
        'S→C ServerHello',
        'S→C EncryptedExtensions',
        ...(run.clientAuth ? ['S→C CertificateRequest'] : []),
        ...(run.psk ? [] : ['S→C Certificate', 'S→C CertificateVerify']),
        'S→C Finished',
        ...(run.early ? ['C→S EndOfEarlyData'] : []),
        ...(run.clientAuth ? ['C→S Certificate', 'C→S CertificateVerify'] : []),
        'C→S Finished',
      ]);
    }
  });

  it('encrypts everything after the hellos with the key section 2 marks it with', () => {
    const CLEAR = ['ClientHello', 'HelloRetryRequest', 'ServerHello', 'ChangeCipherSpec'];
    for (const run of RUNS) {
      const clientFinished = run.names.lastIndexOf('C→S Finished');
      run.messages.forEach((m, i) => {
        const expected = CLEAR.includes(m.label)
          ? undefined
          : m.label === 'EndOfEarlyData' || m.label === 'Application Data (0-RTT)'
            ? 'client_early_traffic_secret'
            : i <= clientFinished
              ? `${m.from}_handshake_traffic_secret`
              : `${m.from}_application_traffic_secret_0`;
        expect(m.encrypted, `${run.name}: ${named(m)}`).toBe(expected);
      });
    }
  });

  it("draws TCP's opening and closing around TLS as reference boxes, the library's fragments inside them", () => {
    for (const { scenario } of declaredScenarios(FLOW)) {
      const drawn = projectFlow(FLOW, scenario).phases.flatMap((p) => drawnSteps(p.steps));
      const boxes = [drawn[0]!, drawn.at(-1)!].map((step) =>
        step.kind === 'ref'
          ? `${step.label}: ${messagesAndActions(step.steps)
              .map((s) => s.label)
              .join(', ')}`
          : step.kind,
      );
      expect(boxes, scenarioText(scenario)).toEqual([
        'TCP three-way handshake (RFC 9293): SYN, SYN-ACK, ACK',
        // Each side closes its direction on its own (close: either): the order of the FINs is the implementations'.
        'TCP connection termination (RFC 9293): FIN, ACK, FIN, ACK',
      ]);
    }
  });

  it('tells protoflow conform how a recording names every message, and that it is TLS 1.3', () => {
    expect(FLOW.trace.version).toEqual(['TLS 1.3']);
    for (const m of messagesOf(FLOW)) expect(m.trace, named(m)).not.toEqual([]);
  });
});

describe('real TLS 1.3 handshakes recorded on loopback conform to their scenario, and to no other exactly', () => {
  let certs: Certificates;
  beforeAll(() => {
    certs = makeCertificates();
  });
  afterAll(() => rmSync(certs.dir, { recursive: true, force: true }));

  /** The scenarios the recording matches with no deviation; the closest one's deviations, to say why when there is none. */
  function exactly(text: string, side: 'client' | 'server') {
    const read = readTrace({ name: 'trace.txt', text });
    expect(read.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const result = conform(compiled.value!, read.value!, side);
    expect(result.diagnostics).toEqual([]);
    const { fits, trace } = result.value!;
    expect(trace.facts.version?.value).toBe('TLS 1.3');
    return { scenarios: fits.filter((f) => f.cost === 0).map((f) => scenarioText(f.scenario)), why: fits[0]!.deviations.map((d) => d.message).join('\n') };
  }

  const runs = [
    { clientAuth: false, closer: 'client' },
    { clientAuth: true, closer: 'client' },
    { clientAuth: false, closer: 'server' },
  ] as const;
  for (const { clientAuth, closer } of runs) {
    const scenario = `keyExchangeMode=dhe,helloRetry=off,earlyData=off,clientAuth=${clientAuth ? 'on' : 'off'},closer=${closer}`;
    it(`${scenario}: openssl s_client -msg and s_server -msg, and Node's enableTrace()`, async () => {
      const handshake = { version: 'TLS 1.3', clientAuth, closer } as const;
      const openssl = await recordOpenSsl(certs, handshake);
      for (const side of ['client', 'server'] as const) {
        for (const text of [openssl[side], await recordNode(certs, handshake, side)]) {
          const { scenarios, why } = exactly(text, side);
          expect(scenarios, `${side}: ${why}`).toEqual([scenario]);
        }
      }
    });
  }
});
