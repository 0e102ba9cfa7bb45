import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLoopback } from './support/capture.js';
import { protoflow } from './support/cli.js';
import { freePort } from './support/record-tls.js';
import { messageLine } from './support/spec-lines.js';

const SPEC = 'specs/mqtt.yaml';
const SPEC_TEXT = readFileSync(SPEC, 'utf8');

/** The line of the spec where the step with this id starts (its `- message:` line). */
const specLine = (id: string): number => messageLine(SPEC_TEXT, id);

const TITLES = ['At most once (QoS 0)', 'At least once (QoS 1)', 'Exactly once (QoS 2)'];

/** Debian installs the broker in /usr/sbin, which a user's PATH may leave out. */
const MOSQUITTO = existsSync('/usr/sbin/mosquitto') ? '/usr/sbin/mosquitto' : 'mosquitto';

let dir: string;
let port: number;
let broker: ChildProcess;

/** A mosquitto broker of its own on a free port of 127.0.0.1, anonymous clients allowed. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'protoflow-mqtt-'));
  port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(config, `listener ${port} 127.0.0.1\nallow_anonymous true\n`);
  broker = spawn(MOSQUITTO, ['-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  await new Promise<void>((ready, fail) => {
    const hear = (chunk: Buffer) => {
      said += chunk.toString('utf8');
      if (said.includes(' running')) ready();
    };
    broker.stdout!.on('data', hear);
    broker.stderr!.on('data', hear);
    broker.once('exit', (code) => fail(new Error(`mosquitto exited (${code}): ${said}`)));
    broker.once('error', fail);
  });
});

afterAll(() => {
  broker.kill();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a program to its end, failing on a non-zero exit. */
function run(program: string, args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? done(output) : fail(new Error(`${program} exited (${code}): ${output}`))));
  });
}

/**
 * mosquitto_sub subscribes at QoS 2 and waits for one message; once its SUBACK is in,
 * mosquitto_pub publishes one at `qos`. Captured on loopback, both connections to the broker.
 */
async function captureExchange(qos: number): Promise<string> {
  const pcap = join(dir, `qos${qos}.pcap`);
  const topic = `protoflow/qos${qos}`;
  await captureLoopback(pcap, `tcp port ${port}`, async () => {
    // stdbuf: mosquitto_sub's output to a pipe is otherwise held until it exits, and it would not say it has subscribed.
    const args = ['-oL', 'mosquitto_sub', '-h', '127.0.0.1', '-p', String(port), '-t', topic, '-q', '2', '-C', '1', '-d'];
    const subscriber = spawn('stdbuf', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let said = '';
    const received = new Promise<void>((done, fail) => {
      subscriber.once('exit', (code) => (code === 0 ? done() : fail(new Error(`mosquitto_sub exited (${code}): ${said}`))));
    });
    await new Promise<void>((subscribed) => {
      const hear = (chunk: Buffer) => {
        said += chunk.toString('utf8');
        if (said.includes('received SUBACK')) subscribed();
      };
      subscriber.stdout.on('data', hear);
      subscriber.stderr.on('data', hear);
    });
    await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-t', topic, '-q', String(qos), '-m', 'hello']);
    await received;
  });
  return pcap;
}

/** protoflow conform, from the broker's end (its port), the broker's port read as MQTT. */
const conformBroker = (pcap: string) =>
  protoflow(['conform', SPEC, '--trace', pcap, '--side', 'broker', '--endpoint', `:${port}`, '--decode-as', `tcp.port==${port},mqtt`, '--format', 'json']);

describe('MQTT exchanges with a real mosquitto broker conform to their QoS scenario of specs/mqtt.yaml', () => {
  for (const qos of [0, 1, 2]) {
    it(`QoS ${qos}, captured with tcpdump and read through tshark`, async () => {
      const pcap = await captureExchange(qos);
      const result = await conformBroker(pcap);
      expect(result.stderr).toBe('');
      const report = JSON.parse(result.stdout) as { conforms: boolean; exact: string[]; best: { deviations: { message: string }[] } };
      expect(report.best.deviations).toEqual([]);
      expect(report.exact).toEqual([`qos=${qos}`]);
      expect(result.code).toBe(0);
    });
  }

  it('without --endpoint, a capture of two connections asks which end is the side', async () => {
    const pcap = await captureExchange(0);
    const result = await protoflow(['conform', SPEC, '--trace', pcap, '--side', 'broker', '--decode-as', `tcp.port==${port},mqtt`]);
    expect(result.stderr).toMatch(/error PF604 .*qos0\.pcap holds 2 conversations \(.*\): say which endpoint is the side's with --endpoint ADDR:PORT/);
    expect(result.code).toBe(1);
  });

  it("a PUBACK cut out of the capture (editcap): reported missing at its frame, with the spec's line", async () => {
    const pcap = await captureExchange(1);
    const pubacks = execFileSync(
      'tshark',
      ['-r', pcap, '-n', '-d', `tcp.port==${port},mqtt`, '-Y', 'mqtt.msgtype == 4', '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.srcport'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    )
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t').map(Number) as [number, number]);
    // The broker's PUBACK to the publisher.
    const [frame] = pubacks.find(([, from]) => from === port)!;
    const cut = join(dir, 'cut.pcap');
    execFileSync('editcap', [pcap, cut, String(frame)]);
    const result = await protoflow(['conform', SPEC, '--trace', cut, '--side', 'broker', '--endpoint', `:${port}`, '--decode-as', `tcp.port==${port},mqtt`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`does not conform to ${SPEC}: closest scenario QoS = ${TITLES[1]}, 1 deviation(s) (cost 1)`);
    expect(result.stdout).toMatch(
      new RegExp(`${cut} frame ${frame} missing PUBACK \\(4\\) \\(Broker → Publisher\\), expected before .* \\(${SPEC}:${specLine('puback')}\\)`),
    );
  });
});
