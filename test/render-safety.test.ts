import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RenderSession } from '../src/render/session.js';
import { ENGINE_RUNS } from './support/plantuml.js';
import type { ImageFormat, RenderOutcome } from '../src/render/renderer.js';
import { generate } from '../src/targets/generate.js';
import type { DrawnTarget } from '../src/targets/target.js';
import { flowShowing } from './support/flows.js';
import { squeeze, svgTexts } from './support/images.js';
import { HOST } from './support/host.js';

/** What a file the diagrams try to read contains; it must never show up in an image. */
const SECRET = `secret-${randomBytes(8).toString('hex')}`;
/** CSS an author smuggles in through a Mermaid directive; it must never reach a <style>. */
const CSS_MARK = `css-${randomBytes(8).toString('hex')}`;

const secretFile = join(mkdtempSync(join(tmpdir(), 'protoflow-hostile-')), 'notes.txt');
writeFileSync(secretFile, `${SECRET}\n`);
const hostname = readFileSync('/etc/hostname', 'utf8').trim();

let server: Server;
let requests: string[] = [];
let port = 0;

function hostileTexts(): string[] {
  return [
    '!include /etc/hostname',
    `!include ${secretFile}`,
    '%getenv("HOME")',
    `%load_json("${secretFile}")`,
    '<img:/etc/hostname>',
    `<img:${secretFile}>`,
    `<img:http://127.0.0.1:${port}/plantuml.png>`,
    `%%{init: {"themeCSS": ".${CSS_MARK} { fill: red }"}}%%`,
    'x; link A: Evil @ https://example.com',
    `x; click A href "http://127.0.0.1:${port}/click"`,
    '<img src=http://127.0.0.1:9/x>',
    `<img src=http://127.0.0.1:${port}/mermaid.png>`,
    `<a href="http://127.0.0.1:${port}/a">link</a><style>.${CSS_MARK} { fill: red }</style>`,
  ];
}

interface Drawn {
  text: string;
  target: DrawnTarget;
  outcomes: Map<ImageFormat, RenderOutcome>;
}

describe.each(ENGINE_RUNS)(
  'hostile text is drawn as text, reads nothing and fetches nothing (PlantUML engine: $plantumlEngine)',
  ({ plantumlEngine, targets }) => {
    const drawn: Drawn[] = [];
    const baseline = new Map<string, string>();

    beforeAll(async () => {
      server = createServer((request, response) => {
        requests.push(request.url ?? '');
        response.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
      requests = [];
      const session = new RenderSession(60_000, { plantumlEngine }, HOST);
      try {
        const render = (target: DrawnTarget, text: string, name: string) =>
          session
            .renderer(target.engine)
            .render({ name, source: generate(target, flowShowing(text)).value!, config: target.renderConfig, formats: ['svg', 'png'] });
        await Promise.all(
          targets.map(async (target) => {
            const plain = (await render(target, 'plain text', `${target.name}-plain`)).get('svg');
            if (plain?.kind === 'image') baseline.set(target.name, Buffer.from(plain.data).toString('utf8'));
            const texts = hostileTexts();
            const outcomes = await Promise.all(texts.map((text, i) => render(target, text, `${target.name}-${i}`)));
            texts.forEach((text, i) => drawn.push({ text, target, outcomes: outcomes[i]! }));
          }),
        );
      } finally {
        await session.close();
      }
    });

    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('every diagram is drawn in both formats', () => {
      expect(drawn).toHaveLength(targets.length * hostileTexts().length);
      for (const { text, target, outcomes } of drawn) {
        expect(
          [...outcomes.values()].map((o) => o.kind),
          `${target.name} ${text}`,
        ).toEqual(['image', 'image']);
      }
    });

    it('each hostile text is shown literally', () => {
      for (const { text, target, outcomes } of drawn) {
        const svg = outcomes.get('svg')!;
        if (svg.kind !== 'image') continue;
        expect(squeeze(svgTexts(Buffer.from(svg.data).toString('utf8')).join('')), `${target.name} ${text}`).toContain(squeeze(text));
      }
    });

    it('no file the text names is read: its contents are in no SVG and no PNG', () => {
      for (const { text, target, outcomes } of drawn) {
        for (const outcome of outcomes.values()) {
          if (outcome.kind !== 'image') continue;
          expect(Buffer.from(outcome.data).includes(SECRET), `${target.name} ${text}`).toBe(false);
        }
        const svg = outcomes.get('svg')!;
        if (svg.kind === 'image') expect(svgTexts(Buffer.from(svg.data).toString('utf8'))).not.toContain(hostname);
      }
    });

    it('no link, style or image element is injected into an SVG', () => {
      for (const { text, target, outcomes } of drawn) {
        const svg = outcomes.get('svg')!;
        if (svg.kind !== 'image') continue;
        const markup = Buffer.from(svg.data).toString('utf8');
        const plain = baseline.get(target.name)!;
        const count = (pattern: RegExp, s: string) => s.match(pattern)?.length ?? 0;
        expect(count(/<a[\s>]/g, markup), `${target.name} ${text}`).toBe(0);
        expect(count(/<image[\s>]/g, markup), `${target.name} ${text}`).toBe(0);
        expect(count(/<style[\s>]/g, markup), `${target.name} ${text}`).toBe(count(/<style[\s>]/g, plain));
        const styles = [...markup.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1]!).join('\n');
        expect(styles, `${target.name} ${text}`).not.toContain(CSS_MARK);
        // An attribute inside a tag; the same words as text content are escaped and harmless.
        expect(/<[^>]*\shref="https?:/.test(markup), `${target.name} ${text}`).toBe(false);
      }
    });

    it('no request reached the network: the local server saw nothing', () => {
      expect(requests).toEqual([]);
    });
  },
);
