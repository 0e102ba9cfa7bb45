import { spawn } from 'node:child_process';
import { Previewer } from '../preview/previewer.js';
import { servePreview } from '../preview/server.js';
import { type CommandContext, UsageError } from './context.js';
import { diagnosticsText, EXIT, stopSignal } from './output.js';
import { openProject } from './settings.js';

/** Where the preview listens unless told otherwise (`--port`). */
const DEFAULT_PORT = 4960;

/** `protoflow preview`: the live page, until Ctrl-C or SIGTERM. */
export async function runPreview(context: CommandContext): Promise<number> {
  const { io, values } = context;
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '0') || port > 65_535) throw new UsageError(`--port must be a port number from 0 to 65535, not "${values.port}"`);
  const opened = await openProject(context);
  if (!opened) return EXIT.specErrors;
  const { project } = opened;
  const stop = stopSignal();
  const session = await project.renderSession();
  const previewer = new Previewer(project, session, (diagnostics, sources) => diagnosticsText(diagnostics, sources, io, false));
  try {
    await previewer.start();
    let server: Awaited<ReturnType<typeof servePreview>>;
    try {
      server = await servePreview(previewer, port);
    } catch (cause) {
      const busy = cause instanceof Error && 'code' in cause && cause.code === 'EADDRINUSE';
      io.stderr.write(`protoflow: cannot serve on 127.0.0.1:${port}: ${busy ? 'the port is in use (--port 0 picks a free one)' : String(cause)}\n`);
      return EXIT.specErrors;
    }
    io.stdout.write(`${server.url}\n`);
    io.stdout.write(`previewing ${project.settings.inputs.join(', ')}; Ctrl-C stops\n`);
    if (values.open) openInBrowser(server.url);
    await stop;
    await server.close();
  } finally {
    await previewer.close();
    await session.close();
  }
  return EXIT.ok;
}

/** The system's way to open a URL; nothing happens where there is none. */
function openInBrowser(url: string): void {
  const [command, ...args] = process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '', url] : ['xdg-open', url];
  spawn(command!, args, { stdio: 'ignore', detached: true })
    .on('error', () => undefined)
    .unref();
}
