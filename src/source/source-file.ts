import { readFile } from 'node:fs/promises';
import { DiagnosticCodes, error, failureReason, type Result } from '../diagnostics/diagnostic.js';

export interface SourceFile {
  /** The name diagnostics print: the path as the user gave it, or relative to the working directory. */
  name: string;
  text: string;
  /** For a spec: the folder its includes must stay inside (default: the spec's own folder). */
  root?: string;
}

export async function readSourceFile(path: string, name = path): Promise<Result<SourceFile>> {
  try {
    return { value: { name, text: await readFile(path, 'utf8') }, diagnostics: [] };
  } catch (cause) {
    return { diagnostics: [error(DiagnosticCodes.FILE_UNREADABLE, `cannot read ${name}: ${failureReason(cause)}`)] };
  }
}
