import { resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Host } from '../shared/host.js';
import type { SourceFile } from '../source/source-file.js';
import { SPEC_FILE } from '../compile/include-path.js';
import { readTextIfAny } from '../source/source-file.js';

/** Where the CLI prints, and the host it runs on: the folder relative paths start from, the environment read (NO_COLOR, CI, where Java and the browser are). */
export interface Io extends Host {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export const EXIT = { ok: 0, specErrors: 1, usage: 2 } as const;

/** The diagnostics as text with code frames, on stderr. */
export async function printDiagnostics(diagnostics: readonly Diagnostic[], sources: readonly SourceFile[], io: Io, noColor: boolean): Promise<void> {
  if (diagnostics.length === 0) return;
  const color = io.stderr.isTTY === true && !noColor && !io.env.NO_COLOR;
  io.stderr.write(`${await diagnosticsText(diagnostics, sources, io, color)}\n`);
}

/**
 * The diagnostics as text with code frames. A problem inside an included spec is shown in that
 * file, which no command read as a spec of its own; only spec files: a diagnostic never quotes
 * another file.
 */
export async function diagnosticsText(diagnostics: readonly Diagnostic[], sources: readonly SourceFile[], host: Host, color: boolean): Promise<string> {
  // Loaded here, not at the top: a build with nothing to do stays quick without the code-frame printer.
  const { formatDiagnostics } = await import('../diagnostics/format.js');
  const texts = new Map(sources.map((s) => [s.name, s.text]));
  for (const file of new Set(diagnostics.flatMap((d) => (d.span && !texts.has(d.span.file) && SPEC_FILE.test(d.span.file) ? [d.span.file] : [])))) {
    const text = await readTextIfAny(resolve(host.cwd, file));
    if (text !== undefined) texts.set(file, text);
  }
  return formatDiagnostics(diagnostics, { sources: texts, color });
}

/** Resolves at the first Ctrl-C or SIGTERM: what stops a command that runs until told (`build --watch`, `preview`). */
export function stopSignal(): Promise<void> {
  return new Promise<void>((done) => {
    for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => done());
  });
}
