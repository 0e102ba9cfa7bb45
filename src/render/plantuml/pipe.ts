import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { RenderOutcome } from '../renderer.js';
import { withTimeout } from '../timeout.js';
import type { Host } from '../../shared/host.js';

/**
 * PlantUML crops its own PNGs at 4096 pixels (the default) without a word. The build draws from its
 * SVGs, which 1.2026.8 does not limit (checked with a diagram 18,346 pixels wide); the limit stays
 * raised for the naive baseline's PNGs and for a PlantUML that would apply it to SVG too.
 */
export const PLANTUML_LIMIT_SIZE = 16384;

const STDERR_KEPT = 4000;

type Answer = { kind: 'answer'; data: Buffer } | { kind: 'exit'; reason: string };

/**
 * One JVM running `plantuml.jar -tsvg -pipe`. Diagrams go in one at a time; each SVG answered ends
 * with a random delimiter. With `-pipeNoStderr` a rejected diagram answers `ERROR / line / message`
 * in its place instead of an error image.
 */
export class PlantUmlPipe {
  private child?: ChildProcessWithoutNullStreams;
  private readonly delimiter = Buffer.from(`__protoflow_${randomBytes(12).toString('hex')}__`);
  private stdout = Buffer.alloc(0);
  private stderr = '';
  private exitReason?: string;
  private waiter?: (answer: Answer) => void;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly java: string,
    private readonly jar: string,
    private readonly timeoutMs: number,
    /** The environment the JVM runs in. */
    private readonly env: Host['env'],
    /** PlantUML's dark palette, a switch of the whole JVM. */
    private readonly dark = false,
  ) {}

  /** Renders after every earlier call: PlantUML's pipe answers in order, one diagram at a time. */
  render(source: string): Promise<RenderOutcome> {
    const next = this.queue.then(() => this.renderNow(source));
    this.queue = next;
    return next;
  }

  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    if (!child || this.exitReason !== undefined) return;
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    child.stdin.end();
    // A JVM busy with a huge diagram would keep the build waiting; it has nothing left to say.
    const killer = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(killer);
  }

  private async renderNow(source: string): Promise<RenderOutcome> {
    if (this.closed) return { kind: 'cancelled' };
    const child = this.child ?? this.spawn();
    if (this.exitReason !== undefined) return { kind: 'failed', message: this.exitReason };
    const answer = new Promise<Answer>((resolve) => (this.waiter = resolve));
    child.stdin.write(source.endsWith('\n') ? source : `${source}\n`);
    const outcome = await withTimeout(
      answer.then((a) => this.interpret(a)),
      this.timeoutMs,
      () => {
        child.kill('SIGKILL');
        this.closed = true;
        return { kind: 'timeout', message: `PlantUML did not finish within ${this.timeoutMs / 1000} s and was stopped` } as const;
      },
    );
    this.waiter = undefined;
    return outcome;
  }

  private spawn(): ChildProcessWithoutNullStreams {
    const child = spawn(
      this.java,
      [
        // The quick JIT only, and one GC thread: the JVM shares the machine with the browser, and a
        // build's diagrams are too few for the optimising JIT to earn back its compile time (the
        // bundled specs' 16 diagrams: half the CPU time; 128: a third less, for 18 % more wall
        // time in the JVM alone). The SVGs are the same bytes.
        '-XX:TieredStopAtLevel=1',
        '-XX:+UseSerialGC',
        '-Djava.awt.headless=true',
        // No file, URL or environment access from a diagram: `!include`, `%getenv` and `<img:>` stay inert.
        '-DPLANTUML_SECURITY_PROFILE=SANDBOX',
        `-DPLANTUML_LIMIT_SIZE=${PLANTUML_LIMIT_SIZE}`,
        '-Dfile.encoding=UTF-8',
        '-jar',
        this.jar,
        '-charset',
        'UTF-8',
        '-tsvg',
        ...(this.dark ? ['--dark-mode'] : []),
        '-pipe',
        '-pipeNoStderr',
        '-pipedelimitor',
        this.delimiter.toString(),
      ],
      // Sequence and activity diagrams are laid out by PlantUML itself; pointing GRAPHVIZ_DOT nowhere
      // keeps images the same whether or not a machine has Graphviz.
      { env: { ...this.env, GRAPHVIZ_DOT: '/nonexistent/dot' } },
    );
    this.child = child;
    child.stdout.on('data', (chunk: Buffer) => {
      this.stdout = Buffer.concat([this.stdout, chunk]);
      this.deliver();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_KEPT);
    });
    child.stdin.on('error', () => {
      // EPIPE after the JVM died; 'close' below reports why.
    });
    const exited = (reason: string) => {
      this.exitReason ??= reason;
      this.waiter?.({ kind: 'exit', reason: this.exitReason });
    };
    child.on('error', (cause) => exited(`cannot start Java (${this.java}): ${cause.message}`));
    child.on('close', (code, signal) => exited(`PlantUML stopped (${signal ?? `exit code ${code}`})${this.stderr.trim() ? `: ${this.stderr.trim()}` : ''}`));
    return child;
  }

  private deliver(): void {
    const end = this.stdout.indexOf(this.delimiter);
    if (end < 0 || !this.waiter) return;
    // Each delimiter is followed by a newline, which the next answer starts with.
    const start = this.stdout[0] === 0x0a ? 1 : 0;
    const data = this.stdout.subarray(start, end);
    this.stdout = this.stdout.subarray(end + this.delimiter.length);
    this.waiter({ kind: 'answer', data });
  }

  private interpret(answer: Answer): RenderOutcome {
    // Closed under it (the build stopped): this diagram was not drawn, nothing failed.
    if (answer.kind === 'exit') return this.closed ? { kind: 'cancelled' } : { kind: 'failed', message: answer.reason };
    const { data } = answer;
    const head = data.subarray(0, 6).toString('latin1');
    if (head === 'ERROR\n') {
      // `ERROR`, the failing line counted from 0 at @startuml, then PlantUML's message.
      const [, line, ...message] = data.toString('utf8').split('\n');
      const index = Number(line);
      return {
        kind: 'rejected',
        message: message.join(' ').trim() || 'PlantUML could not draw this diagram',
        ...(Number.isInteger(index) ? { line: index + 1 } : {}),
      };
    }
    if (!data.includes('<svg')) return { kind: 'failed', message: `PlantUML answered something that is not SVG: ${data.subarray(0, 80).toString('utf8')}` };
    return { kind: 'image', data };
  }
}
