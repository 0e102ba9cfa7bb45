import { DiagnosticCodes, error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../shared/suggest.js';

/** What a region asks for: `<!-- protoflow: SPEC key=value ... -->`. */
export interface RegionRequest {
  spec: string;
  target?: string;
  scenario?: string;
  embed?: 'code' | 'image';
}

/** A region of a Markdown file between its two markers; `from`/`to` delimit what protoflow replaces. */
export interface Region {
  request: RegionRequest;
  /** 1-based line of the opening marker. */
  line: number;
  /** Offset just after the opening marker's line break. */
  from: number;
  /** Offset of the closing marker's line. */
  to: number;
}

export const REGION_KEYS = ['target', 'scenario', 'embed'] as const;
/** Markdown files in the folders searched. */
export const MARKDOWN_FILE = /\.md$/;
const OPEN = /^[ \t]*<!--[ \t]*protoflow:(.*?)-->[ \t]*$/;
const CLOSE = /^[ \t]*<!--[ \t]*\/protoflow[ \t]*-->[ \t]*$/;
/** A marker-like comment that is neither: reported, not ignored, so a typo is never silent. */
const ALMOST = /^[ \t]*<!--[ \t]*\/?[ \t]*protoflow\b/i;
const FENCE = /^[ \t]{0,3}(`{3,}|~{3,})/;

/**
 * The regions of a Markdown file. Markers count only alone on their line and outside fenced code
 * blocks, so a document can show the syntax in an example. Every malformed marker is an error at
 * its line.
 */
export function findRegions(text: string, file: string): { regions: Region[]; diagnostics: Diagnostic[] } {
  const regions: Region[] = [];
  const diagnostics: Diagnostic[] = [];
  const problem = (line: number, message: string, hint?: string) =>
    diagnostics.push(error(DiagnosticCodes.DOCS_MARKER, message, { file, line, column: 1 }, hint));
  let open: { request: RegionRequest | undefined; line: number; from: number } | undefined;
  let fence: string | undefined;
  let offset = 0;
  const lines = text.split('\n');
  lines.forEach((content, index) => {
    const line = index + 1;
    const start = offset;
    offset += content.length + 1;
    const bare = content.replace(/\r$/, '');
    const fenceMark = FENCE.exec(bare)?.[1];
    if (fence !== undefined) {
      if (fenceMark !== undefined && fenceMark[0] === fence[0] && fenceMark.length >= fence.length && bare.trim() === fenceMark) fence = undefined;
      return;
    }
    if (fenceMark !== undefined && open === undefined) {
      fence = fenceMark;
      return;
    }
    const opening = OPEN.exec(bare);
    if (opening) {
      if (open) problem(line, `a region opens here while the one of line ${open.line} is still open; close it with <!-- /protoflow -->`);
      open = { request: parseRequest(opening[1]!, line, problem), line, from: Math.min(offset, text.length) };
    } else if (CLOSE.test(bare)) {
      if (!open) problem(line, '<!-- /protoflow --> closes no region');
      else if (open.request) regions.push({ request: open.request, line: open.line, from: open.from, to: start });
      open = undefined;
    } else if (ALMOST.test(bare)) {
      problem(
        line,
        'not a protoflow marker: write <!-- protoflow: SPEC [target=…] [scenario=…] [embed=code|image] --> or <!-- /protoflow -->, alone on the line',
      );
    }
  });
  if (open) problem(open.line, 'this region is never closed; end it with <!-- /protoflow -->');
  return { regions, diagnostics };
}

function parseRequest(args: string, line: number, problem: (line: number, message: string, hint?: string) => void): RegionRequest | undefined {
  const [spec, ...pairs] = args.trim().split(/\s+/).filter(Boolean);
  if (spec === undefined || spec.includes('=')) {
    problem(line, 'a region names its spec first: <!-- protoflow: specs/NAME.yaml … -->');
    return undefined;
  }
  const request: RegionRequest = { spec };
  let ok = true;
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    const key = equals < 0 ? pair : pair.slice(0, equals);
    const value = equals < 0 ? '' : pair.slice(equals + 1);
    if (!(REGION_KEYS as readonly string[]).includes(key) || equals < 0) {
      problem(line, `"${pair}" is not KEY=VALUE with a key of ${REGION_KEYS.join(', ')}`, didYouMean(key, REGION_KEYS));
      ok = false;
    } else if (key === 'embed' && value !== 'code' && value !== 'image') {
      problem(line, `embed must be "code" or "image", not "${value}"`, didYouMean(value, ['code', 'image']));
      ok = false;
    } else if (key === 'embed') {
      request.embed = value as 'code' | 'image';
    } else {
      request[key as 'target' | 'scenario'] = value;
    }
  }
  return ok ? request : undefined;
}
