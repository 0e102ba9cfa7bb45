import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { protoflow } from './support/cli.js';

describe('protoflow check', () => {
  it('passes after build, fails after a spec edit and after a deleted output, passes again after build; never starts a renderer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'protoflow-check-'));
    // https-browser includes the TCP handshake of tcp-handshake.yaml.
    for (const spec of ['https-browser', 'tcp-handshake']) cpSync(`specs/${spec}.yaml`, join(dir, `specs/${spec}.yaml`));
    // Java and the browser pointed at nothing: check must not need them.
    const nowhere = { JAVA_HOME: join(dir, 'nowhere'), PUPPETEER_EXECUTABLE_PATH: join(dir, 'nowhere') };
    const args = ['check', '--all-scenarios'];
    expect((await protoflow(['build', '--all-scenarios'], dir)).code).toBe(0);

    const current = await protoflow(args, dir, nowhere);
    expect([current.code, current.stderr]).toEqual([0, '']);
    expect(current.stdout).toBe('2 spec(s): 86 current, 0 stale, 0 missing, 0 orphaned, 0 error(s)\n');

    const spec = join(dir, 'specs/https-browser.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('Enter URL in browser', 'Type the URL'));
    const edited = await protoflow(args, dir, nowhere);
    expect(edited.code).toBe(1);
    expect(edited.stdout).toContain('stale: out/https-browser.sequence.puml\n');
    expect(edited.stdout).toContain('-hnote over P1 : Enter URL in browser\n+hnote over P1 : Type the URL');
    expect(edited.stdout).toContain('stale: out/https-browser.sequence.puml.svg (an image drawn from another source, format or renderer)');
    expect(edited.stderr).toMatch(/2 spec\(s\): \d+ current, \d+ stale, 0 missing, 0 orphaned, 0 error\(s\)\n$/);

    expect((await protoflow(['build', '--all-scenarios'], dir)).code).toBe(0);
    rmSync(join(dir, 'out/https-browser--keyExchange-rsa.flowchart.mmd.png'));
    writeFileSync(join(dir, 'out/https-old.sequence.puml'), '@startuml\n@enduml\n');
    const deleted = await protoflow(args, dir, nowhere);
    expect(deleted.code).toBe(1);
    expect(deleted.stdout).toBe('missing: out/https-browser--keyExchange-rsa.flowchart.mmd.png\norphaned: out/https-old.sequence.puml (no spec produces it)\n');

    rmSync(join(dir, 'out/https-old.sequence.puml'));
    expect((await protoflow(['build', '--all-scenarios'], dir)).code).toBe(0);
    const again = await protoflow([...args, '--format', 'json'], dir, nowhere);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ ok: true, diagnostics: [], current: 86, stale: [], missing: [], orphaned: [] });
  });

  it('the committed out/ is current for the bundled specs', async () => {
    const run = await protoflow(['check', '--all-scenarios'], resolve('.'), { JAVA_HOME: '/nowhere', PUPPETEER_EXECUTABLE_PATH: '/nowhere' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
