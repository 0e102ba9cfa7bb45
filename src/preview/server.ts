import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseValues } from '../scenarios/scenario.js';
import { TEMPLATES_DIR } from '../targets/templates-dir.js';
import type { Previewer } from './previewer.js';

/** The page's own files, from templates/preview/: nothing else on disk is ever served. */
const ASSETS: Record<string, string> = {
  '/': 'index.html',
  '/spec': 'index.html',
  '/assets/preview.js': 'preview.js',
  '/assets/preview.css': 'preview.css',
};
const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

export interface PreviewServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves a preview on 127.0.0.1 only. It answers only requests whose Host is this address or
 * `localhost` with this port (a page elsewhere cannot reach it by rebinding a name to 127.0.0.1),
 * only GET and HEAD, and only what the preview generated: its page, the specs' pages as JSON,
 * and the diagrams by output name, looked up by name, never joined to a path on disk.
 */
export async function servePreview(previewer: Previewer, port: number): Promise<PreviewServer> {
  const events = new Set<ServerResponse>();
  let allowed = new Set<string>();
  const server = createServer((request, response) => {
    answer(request, response).catch((cause: unknown) => {
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', `protoflow preview: ${String(cause)}\n`);
      else response.end();
    });
  });

  const answer = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (!allowed.has(request.headers.host ?? '')) return send(response, 421, 'text/plain; charset=utf-8', 'this preview answers only on its own address\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'text/plain; charset=utf-8', 'only GET and HEAD\n');
    const url = new URL(request.url ?? '/', 'http://preview');
    const asset = ASSETS[url.pathname];
    if (asset) return send(response, 200, TYPES[asset.split('.').pop()!]!, readFileSync(join(TEMPLATES_DIR, 'preview', asset)));
    if (url.pathname === '/favicon.ico') return send(response, 204, 'text/plain; charset=utf-8', '');
    if (url.pathname === '/api/specs') return json(response, previewer.index());
    if (url.pathname === '/api/spec') {
      const spec = url.searchParams.get('path') ?? '';
      const given = url.searchParams.get('scenario');
      const values = given ? parseValues(given) : { values: {} };
      if ('problem' in values) return json(response, { problem: values.problem }, 400);
      const page = await previewer.page(spec, values.values);
      if (!page) return json(response, { problem: `no spec ${spec} in this preview` }, 404);
      return json(response, page, 'problem' in page ? 400 : 200);
    }
    if (url.pathname === '/events') return subscribe(response);
    if (url.pathname.startsWith('/out/')) {
      const name = decodeURIComponent(url.pathname.slice('/out/'.length));
      // Only a plain output name: never a path, however spelt.
      if (name === '' || /[/\\\0]/.test(name) || name.startsWith('.')) return send(response, 404, 'text/plain; charset=utf-8', 'not found\n');
      const file = await previewer.file(name);
      if (!file) return send(response, 404, 'text/plain; charset=utf-8', 'not found\n');
      if ('problem' in file) return send(response, 502, 'text/plain; charset=utf-8', `${file.problem}\n`);
      return send(response, 200, file.type, file.body);
    }
    return send(response, 404, 'text/plain; charset=utf-8', 'not found\n');
  };

  const subscribe = (response: ServerResponse) => {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    response.write(': protoflow preview\n\n');
    events.add(response);
    response.on('close', () => events.delete(response));
  };
  const stopListening = previewer.onChange((spec, version) => {
    for (const response of events) response.write(`data: ${JSON.stringify({ spec, version })}\n\n`);
  });

  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(port, '127.0.0.1', () => listening());
  });
  const { port: bound } = server.address() as AddressInfo;
  allowed = new Set([`127.0.0.1:${bound}`, `localhost:${bound}`]);
  return {
    url: `http://127.0.0.1:${bound}/`,
    async close() {
      stopListening();
      for (const response of events) response.end();
      server.closeAllConnections();
      await new Promise<void>((closed) => server.close(() => closed()));
    },
  };
}

function send(response: ServerResponse, status: number, type: string, body: string | Uint8Array): void {
  response.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    // The page runs only its own script; an SVG opened on its own runs none.
    'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; connect-src 'self'",
  });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

function json(response: ServerResponse, value: unknown, status = 200): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(value));
}
