import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { updateDocs } from '../src/docs/embed.js';
import { findRegions } from '../src/docs/regions.js';
import { Project } from '../src/project/project.js';
import { HOST } from './support/host.js';
import { protoflow } from './support/cli.js';

const BIN = resolve('bin/protoflow.js');

/** Lines of ordinary Markdown: headings, lists, HTML comments, code spans, CRLF, trailing spaces, Unicode. */
const line = fc.oneof(
  fc.string({ maxLength: 30, unit: 'grapheme' }),
  fc.constantFrom('# Title', '- item', '<!-- a comment -->', '`code`', 'text with trailing spaces   ', 'crlf\r', '', '    indented', '> quote', '| a | b |'),
);
/** Text around the regions: anything but a marker or a code fence (which would change what the markers mean). */
const surrounding = fc
  .array(line, { maxLength: 6 })
  .map((lines) => lines.join('\n'))
  .filter((text) => !/protoflow|```|~~~/i.test(text) && !text.includes('\n\n\n\n'));

/** The repository as a project: its specs, drawn into out/. */
const PROJECT = new Project(HOST);

const region = fc.constantFrom(
  '<!-- protoflow: specs/https-tls12.yaml -->\n<!-- /protoflow -->',
  '<!-- protoflow: specs/https-tls12.yaml target=mermaid-flowchart scenario=keyExchange=rsa -->\nold text\n<!-- /protoflow -->',
  '<!-- protoflow: specs/https-overview.yaml target=plantuml-sequence -->\n<!-- /protoflow -->',
  '<!-- protoflow: specs/https-browser.yaml target=matrix -->\n| stale |\n<!-- /protoflow -->',
);

describe('protoflow docs: Markdown regions', () => {
  it('keeps everything outside the markers byte for byte, and a second run changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(surrounding, region, surrounding, region, surrounding, async (a, r1, b, r2, c) => {
        const text = `${a}\n${r1}\n${b}\n${r2}\n${c}`;
        const first = await updateDocs([{ name: 'guide.md', text }], PROJECT);
        expect(first.diagnostics).toEqual([]);
        const after = first.docs[0]!.after;
        // The parts outside the regions, in order, are exactly those of the input.
        const outside = (doc: string) => {
          const { regions } = findRegions(doc, 'guide.md');
          let at = 0;
          const parts = regions.map((r) => {
            const part = doc.slice(at, r.from);
            at = r.to;
            return part;
          });
          return [...parts, doc.slice(at)];
        };
        expect(outside(after)).toEqual(outside(text));
        const second = await updateDocs([{ name: 'guide.md', text: after }], PROJECT);
        expect(second.docs[0]!.after).toBe(after);
      }),
      { numRuns: 60 },
    );
  });

  it('reports a malformed marker at its line, and leaves the file alone', async () => {
    const text = 'intro\n<!-- protoflow: specs/https-tls12.yaml embed=svg -->\n<!-- /protoflow -->\n<!-- /protoflow -->\n';
    const result = await updateDocs([{ name: 'guide.md', text }], PROJECT);
    expect(result.docs).toEqual([]);
    expect(result.diagnostics.map((d) => `${d.span!.line} ${d.code} ${d.message}`)).toEqual([
      '2 PF501 embed must be "code" or "image", not "svg"',
      '4 PF501 <!-- /protoflow --> closes no region',
    ]);
  });

  it('docs writes the regions, and check fails when a region is out of date and passes once docs has run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'protoflow-docs-'));
    cpSync('specs', join(dir, 'specs'), { recursive: true });
    const readme = join(dir, 'README.md');
    const empty = '# Project\n\n<!-- protoflow: specs/https-browser.yaml scenario=keyExchange=ecdhe -->\n<!-- /protoflow -->\n\nMore.\n';
    writeFileSync(readme, empty);
    writeFileSync(join(dir, 'protoflow.config.yaml'), 'specs: specs/https-browser.yaml\nformats: [source]\ndocs: README.md\n');
    // build brings the config's Markdown files up to date too.
    const built = await protoflow(['build', '--verbose'], dir);
    expect(built.code).toBe(0);
    expect(built.stdout).toContain('wrote README.md\n');
    const filled = readFileSync(readme, 'utf8');
    writeFileSync(readme, empty);
    const stale = await protoflow(['check'], dir);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('stale: README.md\n');
    const docs = await protoflow(['docs'], dir);
    expect([docs.code, docs.stdout]).toEqual([0, '1 Markdown file(s), 1 region(s), 1 file(s) updated, 0 error(s)\n']);
    const text = readFileSync(readme, 'utf8');
    expect(text).toBe(filled);
    expect(text).toMatch(/^# Project\n\n<!-- protoflow: specs\/https-browser.yaml scenario=keyExchange=ecdhe -->\n```mermaid\n/);
    expect(text).toContain('title HTTPS in the browser (TLS 1.2): Key exchange = ECDHE');
    expect(text.endsWith('```\n<!-- /protoflow -->\n\nMore.\n')).toBe(true);
    expect((await protoflow(['check'], dir)).code).toBe(0);
    expect((await protoflow(['docs'], dir)).stdout).toContain('0 file(s) updated');
    expect((await protoflow(['build'], dir)).stdout).toMatch(/, 0 file\(s\) written, /);
    // A build sent elsewhere leaves the project's Markdown files alone.
    writeFileSync(readme, empty);
    expect((await protoflow(['build', '--out', 'elsewhere'], dir)).code).toBe(0);
    expect(readFileSync(readme, 'utf8')).toBe(empty);
  });
});

describe('docs/gallery.md', () => {
  it('shows every bundled spec in every target and its presence matrix (check, run by CI, keeps it current)', () => {
    const { regions, diagnostics } = findRegions(readFileSync('docs/gallery.md', 'utf8'), 'docs/gallery.md');
    expect(diagnostics).toEqual([]);
    const shown = regions.map((r) => `${r.request.spec} ${r.request.target}`).sort();
    const specs = readdirSync('specs').filter((f) => f.endsWith('.yaml'));
    const targets = ['mermaid-flowchart', 'mermaid-sequence', 'plantuml-activity', 'plantuml-sequence', 'text-sequence', 'matrix'];
    expect(shown).toEqual(specs.flatMap((spec) => targets.map((target) => `../specs/${spec} ${target}`)).sort());
  });
});

describe("the documentation's example spec", () => {
  it('is shown in the README and the spec reference exactly as docs/examples/sign-in.yaml holds it, which protoflow draws there', () => {
    const spec = readFileSync('docs/examples/sign-in.yaml', 'utf8');
    for (const doc of ['README.md', 'docs/spec-format.md']) {
      const shown = /```yaml\n(protoflow: 1\n[\s\S]*?)```/.exec(readFileSync(doc, 'utf8'))?.[1];
      expect(shown, doc).toBe(spec);
      const { regions } = findRegions(readFileSync(doc, 'utf8'), doc);
      expect(regions.length, doc).toBeGreaterThan(0);
      for (const region of regions) expect(resolve(dirname(doc), region.request.spec)).toBe(resolve('docs/examples/sign-in.yaml'));
    }
  });
});

describe('a region may embed only a spec inside the project (issue 17: secrets in CI logs)', () => {
  it('refuses other files, absolute paths, paths out of the project and links out of it, and quotes none of them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'protoflow-docs-root-'));
    cpSync('specs', join(dir, 'specs'), { recursive: true });
    const outside = mkdtempSync(join(tmpdir(), 'protoflow-docs-secret-'));
    writeFileSync(join(outside, 'secret.yaml'), 'protoflow: 1\ntitle: TOP-SECRET-VALUE\n');
    // Not in specs/, which check reads as the project's own specs.
    mkdirSync(join(dir, 'notes'));
    symlinkSync(join(outside, 'secret.yaml'), join(dir, 'notes', 'linked.yaml'));
    const markers = [
      '/proc/self/environ',
      '../../../../../../../proc/self/environ',
      join(outside, 'secret.yaml'),
      `../${relative(dir, join(outside, 'secret.yaml'))}`,
      'notes/linked.yaml',
      'README',
    ];
    const doc = markers.map((spec) => `<!-- protoflow: ${spec} -->\n<!-- /protoflow -->`).join('\n\n');
    writeFileSync(join(dir, 'guide.md'), `${doc}\n`);
    writeFileSync(join(dir, 'protoflow.config.yaml'), 'docs: guide.md\n');
    for (const command of [['docs', 'guide.md'], ['check']]) {
      const run = spawnSync(process.execPath, [BIN, ...command], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', PROTOFLOW_TEST_SECRET: 'TOP-SECRET-VALUE' },
      });
      expect(run.status, command.join(' ')).toBe(1);
      expect(run.stdout + run.stderr).not.toContain('TOP-SECRET-VALUE');
      const lines = run.stderr.split('\n').filter((l) => l.startsWith('guide.md:'));
      expect(lines).toEqual([
        'guide.md:1:1 error PF702 cannot embed "/proc/self/environ": a region names its spec relative to the Markdown file, not absolute',
        `guide.md:4:1 error PF702 cannot embed "../../../../../../../proc/self/environ": it is outside the project ${dir}`,
        `guide.md:7:1 error PF702 cannot embed "${join(outside, 'secret.yaml')}": a region names its spec relative to the Markdown file, not absolute`,
        `guide.md:10:1 error PF702 cannot embed "../${relative(dir, join(outside, 'secret.yaml'))}": it is outside the project ${dir}`,
        `guide.md:13:1 error PF702 cannot embed "notes/linked.yaml": it leads through a symbolic link to ${realpathSync(join(outside, 'secret.yaml'))}, outside the project ${dir}`,
        'guide.md:16:1 error PF502 cannot embed "README": only specs are embedded, and a spec\'s name ends in .yaml or .yml',
      ]);
    }
    expect(readFileSync(join(dir, 'guide.md'), 'utf8')).toBe(`${doc}\n`);
  });
});
