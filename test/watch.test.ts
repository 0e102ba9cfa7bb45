import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve('bin/protoflow.js');

/** Polls until `ready()` holds; fails after `ms`. */
async function until(ready: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `protoflow ARGS` running in `dir`, what it has printed so far, and its exit code once it exits. */
function run(args: readonly string[], dir: string) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
  const printed = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (printed.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (printed.stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, printed, exited };
}

describe('protoflow build --watch', () => {
  it('rebuilds an edited spec within seconds, reports a broken edit and keeps the old outputs, and stops on SIGINT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'protoflow-watch-'));
    for (const spec of ['https-browser', 'tcp-handshake']) cpSync(`specs/${spec}.yaml`, join(dir, `specs/${spec}.yaml`));
    const spec = join(dir, 'specs/https-browser.yaml');
    const output = join(dir, 'out/https-browser.sequence.puml');
    const { child, printed, exited } = run(['build', '--watch', '--formats', 'source'], dir);
    try {
      await until(() => printed.stdout.includes('watching specs'), 20_000, 'the first build');
      expect(printed.stdout).toMatch(/ build: wrote out\/https-browser\.matrix\.md, .*; 0 error\(s\), \d+ ms\n/);

      writeFileSync(spec, readFileSync(spec, 'utf8').replace('Enter URL in browser', 'Type the URL'));
      const edited = Date.now();
      await until(() => readFileSync(output, 'utf8').includes('Type the URL'), 5_000, 'the rebuilt output');
      expect(Date.now() - edited).toBeLessThan(5_000);
      await until(() => /specs\/https-browser\.yaml changed: wrote /.test(printed.stdout), 2_000, 'the rebuild line');

      const before = readFileSync(output, 'utf8');
      writeFileSync(spec, `${readFileSync(spec, 'utf8')}broken: [\n`);
      await until(() => printed.stderr.includes('error PF101'), 5_000, 'the error');
      await until(() => /changed: nothing to write; 1 error\(s\)/.test(printed.stderr), 2_000, 'the failed rebuild line');
      expect(readFileSync(output, 'utf8')).toBe(before);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 40_000);

  it('reads an edited template again and rebuilds with it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'protoflow-watch-'));
    for (const spec of ['https-browser', 'tcp-handshake']) cpSync(`specs/${spec}.yaml`, join(dir, `specs/${spec}.yaml`));
    cpSync('templates', join(dir, 'my-templates'), { recursive: true });
    const template = join(dir, 'my-templates/mermaid-sequence/diagram.hbs');
    const output = join(dir, 'out/https-browser.sequence.mmd');
    const args = ['build', '--watch', '--formats', 'source', '--targets', 'mermaid-sequence', '--templates', 'my-templates'];
    const { child, printed, exited } = run(args, dir);
    try {
      await until(() => printed.stdout.includes('watching specs'), 20_000, 'the first build');
      writeFileSync(template, readFileSync(template, 'utf8').replace('sequenceDiagram', '%% house style\nsequenceDiagram'));
      await until(() => readFileSync(output, 'utf8').includes('%% house style'), 5_000, 'the output drawn with the edited template');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 40_000);

  it('rebuilds the specs that include a changed spec, also one outside the folder it watches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'protoflow-watch-'));
    const fragment = (text: string) =>
      `protoflow: 1\ntitle: Fragment\nparticipants: { a: {}, b: {} }\nphases:\n  - title: F\n    steps:\n      - message: ${text}\n        from: a\n        to: b\n`;
    mkdirSync(join(dir, 'specs/app'), { recursive: true });
    mkdirSync(join(dir, 'specs/lib'), { recursive: true });
    writeFileSync(join(dir, 'specs/lib/hello.yaml'), fragment('Hello'));
    writeFileSync(
      join(dir, 'specs/app/main.yaml'),
      'protoflow: 1\ntitle: Main\nparticipants: { a: {}, b: {} }\nphases:\n  - title: Main\n    steps:\n      - include: ../lib/hello.yaml\n',
    );
    const output = join(dir, 'out/main.sequence.mmd');
    // Only specs/app is watched as a folder of specs; specs/ (the default spec root) keeps the include inside.
    const args = ['build', 'specs/app', '--watch', '--formats', 'source', '--targets', 'mermaid-sequence'];
    const { child, printed, exited } = run(args, dir);
    try {
      await until(() => printed.stdout.includes('watching specs/app'), 20_000, 'the first build');
      expect(readFileSync(output, 'utf8')).toContain('Hello');
      writeFileSync(join(dir, 'specs/lib/hello.yaml'), fragment('Good morning'));
      await until(() => readFileSync(output, 'utf8').includes('Good morning'), 5_000, 'the including spec rebuilt');
      await until(() => /specs\/lib\/hello\.yaml changed: wrote out\/main\.sequence\.mmd/.test(printed.stdout), 2_000, 'the rebuild line');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 40_000);

  it("keeps the config's Markdown regions current, and after quick saves every image is current", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'protoflow-watch-'));
    for (const spec of ['tcp-handshake', 'tcp-teardown']) cpSync(`specs/${spec}.yaml`, join(dir, `specs/${spec}.yaml`));
    writeFileSync(join(dir, 'README.md'), '# Notes\n\n<!-- protoflow: specs/tcp-handshake.yaml -->\n<!-- /protoflow -->\n');
    writeFileSync(join(dir, 'protoflow.config.yaml'), 'docs: README.md\nformats: [source, svg, png]\n');
    const spec = join(dir, 'specs/tcp-handshake.yaml');
    const original = readFileSync(spec, 'utf8');
    const { child, printed, exited } = run(['build', '--watch'], dir);
    try {
      await until(() => printed.stdout.includes('watching specs'), 30_000, 'the first build');
      expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('sequenceDiagram');
      // Saves closer together than the PNGs take: their SVGs come first, the PNGs in a later rebuild.
      for (const word of ['one', 'two', 'three']) {
        writeFileSync(spec, original.replace('- message: SYN\n', `- message: SYN ${word}\n`));
        await until(() => readFileSync(join(dir, 'out/tcp-handshake.sequence.mmd.svg'), 'utf8').includes(`SYN ${word}`), 10_000, `the SVG of "${word}"`);
      }
      await until(() => readFileSync(join(dir, 'README.md'), 'utf8').includes('SYN three'), 10_000, 'the README region');
      // Once the last rebuild settles, the PNGs the quick saves left for later are drawn too.
      let checked = run(['check'], dir);
      for (let i = 0; i < 30 && (await checked.exited) !== 0; i++) {
        await new Promise((wait) => setTimeout(wait, 500));
        checked = run(['check'], dir);
      }
      expect(await checked.exited, checked.printed.stdout + checked.printed.stderr).toBe(0);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 60_000);
});
