import jsYaml from 'js-yaml';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Document, type Node as YamlNode, type ParsedNode } from 'yaml';
import { DiagnosticCodes, error, type Diagnostic, type Result, type Span } from '../diagnostics/diagnostic.js';
import type { SourceFile } from './source-file.js';

/** A YAML document that passed every YAML-level check, with the means to point back into it. */
export interface ParsedYaml {
  file: SourceFile;
  data: unknown;
  locate: Locator;
}

export type PathSegment = string | number;
/** Where the value (or, for `key`, the key) at a data path was written. */
export type Locator = (path: readonly PathSegment[], part?: 'key' | 'value') => Span;

/**
 * How many nodes a document may expand to once aliases are resolved. Far above any real spec,
 * far below what a "billion laughs" document asks for.
 */
export const MAX_EXPANDED_NODES = 200_000;

const STANDARD_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/**
 * Anything a fast load could treat differently from the careful parse: tags, anchors, aliases,
 * merge keys and tabs (the careful parse reports them). Text that merely contains such a
 * character at a token start only takes the careful path; it is never misread.
 */
const NEEDS_CAREFUL_PARSE = /(^|[\s,[{:-])[!&*]|<<|\t/m;

/**
 * js-yaml's core schema also reads YAML 1.1 number forms (`1_000`, `0b101`, `0x_A`) as numbers;
 * these types resolve exactly the YAML 1.2 core schema's forms, as `yaml` does, so both loads agree.
 */
const CORE_NULL = /^(~|null|Null|NULL)?$/;
const CORE_BOOL = /^(true|True|TRUE|false|False|FALSE)$/;
const CORE_INT = [/^[-+]?[0-9]+$/, /^0o[0-7]+$/, /^0x[0-9a-fA-F]+$/];
const CORE_FLOAT = [/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/, /^[-+]?\.(inf|Inf|INF)$/, /^\.(nan|NaN|NAN)$/];
const YAML_12_CORE = jsYaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    new jsYaml.Type('tag:yaml.org,2002:null', {
      kind: 'scalar',
      resolve: (text: string) => CORE_NULL.test(text),
      construct: () => null,
    }),
    new jsYaml.Type('tag:yaml.org,2002:bool', {
      kind: 'scalar',
      resolve: (text: string) => CORE_BOOL.test(text),
      construct: (text: string) => text.toLowerCase() === 'true',
    }),
    new jsYaml.Type('tag:yaml.org,2002:int', {
      kind: 'scalar',
      resolve: (text: string) => CORE_INT.some((form) => form.test(text)),
      construct: (text: string) => (text.startsWith('0o') ? parseInt(text.slice(2), 8) : text.startsWith('0x') ? parseInt(text.slice(2), 16) : Number(text)),
    }),
    new jsYaml.Type('tag:yaml.org,2002:float', {
      kind: 'scalar',
      resolve: (text: string) => CORE_FLOAT.some((form) => form.test(text)),
      construct: (text: string) => (/nan/i.test(text) ? NaN : /inf/i.test(text) ? (text.startsWith('-') ? -Infinity : Infinity) : Number(text)),
    }),
  ],
});

/**
 * YAML → data, with the means to locate any part of it. A clean file is loaded with js-yaml
 * (about ten times faster than composing a positioned document) and positions are computed only
 * if something asks for one; anything unusual, and every file with a problem, goes through the
 * careful parse, which reports every problem with its position.
 */
export function parseYaml(file: SourceFile): Result<ParsedYaml> {
  const deep = tooDeep(file.text);
  if (deep !== undefined) {
    const line = file.text.slice(0, deep).split(/\r\n|\r|\n/);
    return {
      diagnostics: [
        error(DiagnosticCodes.YAML_SYNTAX, `the YAML is nested more than ${MAX_NESTING} levels deep here, deeper than protoflow reads`, {
          file: file.name,
          line: line.length,
          column: line.at(-1)!.length + 1,
        }),
      ],
    };
  }
  if (!NEEDS_CAREFUL_PARSE.test(file.text)) {
    try {
      const data: unknown = jsYaml.load(file.text, { schema: YAML_12_CORE, filename: file.name });
      if (data !== null && data !== undefined) {
        let careful: Locator | undefined;
        const locate: Locator = (path, part) => {
          careful ??= parseCarefully(file).value?.locate ?? (() => ({ file: file.name, line: 1, column: 1 }));
          return careful(path, part);
        };
        return { value: { file, data, locate }, diagnostics: [] };
      }
    } catch {
      // The careful parse says what is wrong, with positions.
    }
  }
  return parseCarefully(file);
}

/** Parses with `yaml`'s positioned documents and reports every YAML-level problem of the file. */
export function parseCarefully(original: SourceFile): Result<ParsedYaml> {
  // A lone CR ends a line for YAML, not for the line counter: as a LF it ends one for both, and
  // every offset stays where it was.
  const file = { ...original, text: original.text.replace(/\r(?!\n)/g, '\n') };
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(file.text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    merge: false,
    strict: true,
  });
  const spanAt = (start: number, end?: number): Span => {
    const from = lineCounter.linePos(start);
    const to = end !== undefined && end > start ? lineCounter.linePos(end) : undefined;
    return {
      file: file.name,
      line: from.line,
      column: from.col,
      ...(to ? { endLine: to.line, endColumn: to.col } : {}),
    };
  };

  const diagnostics: Diagnostic[] = [...findTabs(file, spanAt)];
  const tabLines = new Set(diagnostics.map((d) => d.span?.line));

  if (!Array.isArray(documents) || documents.length === 0) {
    diagnostics.push(error(DiagnosticCodes.YAML_EMPTY, 'the file holds no YAML document', spanAt(0)));
    return { diagnostics };
  }
  const [doc, ...extra] = documents;
  for (const other of extra) {
    const start = other.range[0];
    diagnostics.push(error(DiagnosticCodes.YAML_MULTIPLE_DOCUMENTS, 'a spec is one YAML document; remove the extra document', spanAt(start)));
  }
  if (!doc) return { diagnostics };

  for (const problem of [...doc.errors, ...doc.warnings]) {
    const span = spanAt(problem.pos[0], problem.pos[1]);
    if (problem.code === 'TAB_AS_INDENT' && tabLines.has(span.line)) continue;
    if (problem.code === 'DUPLICATE_KEY') {
      diagnostics.push(error(DiagnosticCodes.YAML_DUPLICATE_KEY, 'duplicate key: a key may appear only once in a map', span));
    } else if (problem.code === 'TAG_RESOLVE_FAILED') {
    } else if (problem.code === 'MISSING_CHAR' && /closing .?quote/i.test(problem.message)) {
      // Found at the end of the file; the mistake is where the quote opened.
      const opened = unclosedQuoteAt(doc, problem.pos[0]);
      const quote = opened === undefined ? '"' : file.text[opened];
      diagnostics.push(
        error(
          DiagnosticCodes.YAML_SYNTAX,
          `this ${quote === "'" ? 'single' : 'double'} quote is never closed`,
          spanAt(opened ?? problem.pos[0]),
          `end the text with ${quote} on this line, or write it without quotes`,
        ),
      );
    } else {
      diagnostics.push(error(DiagnosticCodes.YAML_SYNTAX, firstLine(problem.message), span, quotingHint(file.text.split(/\r\n|\r|\n/)[span.line - 1] ?? '')));
    }
  }
  diagnostics.push(...findForbiddenFeatures(doc, file.text, spanAt));
  if (doc.contents === null) {
    diagnostics.push(error(DiagnosticCodes.YAML_EMPTY, 'the file holds no YAML document', spanAt(0)));
  }
  if (diagnostics.length > 0) return { diagnostics };

  // Aliases were bounded above, so expanding them here is safe.
  const data: unknown = doc.toJS({ maxAliasCount: -1 });
  return { value: { file, data, locate: makeLocator(doc, spanAt) }, diagnostics };
}

/** `key: value` on one line, the value unquoted: the key part and the value. */
const PLAIN_VALUE = /^(\s*(?:-\s+)?[^\s'"#:][^#:]*?:\s+)([^'"\s].*?)\s*$/;

/**
 * A hint for a line YAML could not read because a plain value holds `: ` (an HTTP header in a
 * title) or starts with `[`, `{`, `*` or `&`: the same line with the value quoted.
 */
function quotingHint(line: string): string | undefined {
  const match = PLAIN_VALUE.exec(line);
  if (!match) return undefined;
  const [, key, value] = match as unknown as [string, string, string];
  const why = value.includes(': ') ? 'contain ": "' : /^[[{*&]/.test(value) ? `start with "${value[0]}"` : undefined;
  if (why === undefined) return undefined;
  return `a plain YAML value cannot ${why}; put the text in quotes: ${key.trim()} "${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function findTabs(file: SourceFile, spanAt: (start: number) => Span): Diagnostic[] {
  const found: Diagnostic[] = [];
  let lineStart = 0;
  for (const line of file.text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab >= 0) {
      found.push(error(DiagnosticCodes.YAML_TAB, 'tab character; YAML specs are indented and spaced with spaces only', spanAt(lineStart + tab)));
    }
    lineStart += line.length + 1;
  }
  return found;
}

type SpanAt = (start: number, end?: number) => Span;

function nodeSpan(node: YamlNode, spanAt: SpanAt): Span {
  const range = node.range;
  return range ? spanAt(range[0], range[1]) : spanAt(0);
}

/** Merge keys, explicit non-standard tags and alias bombs: YAML features a spec may not use. */
function findForbiddenFeatures(doc: Document.Parsed, text: string, spanAt: SpanAt): Diagnostic[] {
  const found: Diagnostic[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === '<<' && pair.key.type === 'PLAIN') {
        found.push(error(DiagnosticCodes.YAML_MERGE_KEY, 'merge keys (<<) are not supported; write the keys out', nodeSpan(pair.key, spanAt)));
      }
    },
    Node(_, node) {
      if (!isAlias(node) && node.tag && !STANDARD_TAGS.has(node.tag)) {
        found.push(
          error(
            DiagnosticCodes.YAML_CUSTOM_TAG,
            `tag ${tagSource(node, text)} is not supported; a spec uses plain YAML values only`,
            tagSpan(node, text, spanAt),
          ),
        );
      }
    },
  });
  found.push(...findAliasExplosion(doc, text, spanAt));
  return found;
}

/** Where the tag was written: a node's range starts after its tag (`!include`, `!!binary`). */
function tagRange(node: YamlNode, text: string): [number, number] | undefined {
  const valueStart = node.range?.[0] ?? 0;
  let start = text.lastIndexOf('!', Math.max(0, valueStart - 1));
  if (start < 0) return undefined;
  while (start > 0 && text[start - 1] === '!') start--;
  const length = text.slice(start).search(/[\s,[\]{}]/);
  return [start, length < 0 ? text.length : start + length];
}

function tagSpan(node: YamlNode, text: string, spanAt: SpanAt): Span {
  const range = tagRange(node, text);
  return range ? spanAt(range[0], range[1]) : nodeSpan(node, spanAt);
}

function tagSource(node: YamlNode, text: string): string {
  const range = tagRange(node, text);
  return range ? text.slice(range[0], range[1]) : String(node.tag);
}

/** Counts the nodes the document would expand to, memoised per node so the count itself stays cheap. */
function findAliasExplosion(doc: Document.Parsed, text: string, spanAt: SpanAt): Diagnostic[] {
  const sizes = new Map<unknown, number>();
  const inProgress = new Set<unknown>();
  const aliases: { node: YamlNode; size: number }[] = [];
  const unresolved: YamlNode[] = [];
  let cyclic: YamlNode | undefined;

  const sizeOf = (node: unknown): number => {
    if (node === null || node === undefined) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (inProgress.has(node)) {
      cyclic ??= node as YamlNode;
      return 1;
    }
    inProgress.add(node);
    let size = 1;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (target === undefined) unresolved.push(node);
      else if (inProgress.has(target)) cyclic ??= node;
      else size = sizeOf(target);
      aliases.push({ node, size });
    } else if (isMap(node)) {
      for (const pair of node.items) size += sizeOf(pair.key) + sizeOf(pair.value);
    } else if (isSeq(node)) {
      for (const item of node.items) size += sizeOf(item);
    } else if (isPair(node)) {
      size = sizeOf(node.key) + sizeOf(node.value);
    }
    inProgress.delete(node);
    sizes.set(node, size);
    return size;
  };

  sizeOf(doc.contents);
  if (unresolved.length > 0) {
    // `message: *star`: text YAML read as an alias of an anchor that does not exist.
    return unresolved.map((node) => {
      const start = node.range?.[0] ?? 0;
      const line = text.slice(text.lastIndexOf('\n', start - 1) + 1).split(/\r?\n/)[0]!;
      const name = isAlias(node) ? node.source : '';
      return error(DiagnosticCodes.YAML_SYNTAX, `*${name} is an alias, and no anchor &${name} comes before it`, nodeSpan(node, spanAt), quotingHint(line));
    });
  }
  if (cyclic) {
    return [error(DiagnosticCodes.YAML_ALIAS_EXPLOSION, 'this alias refers to a node that contains it', nodeSpan(cyclic, spanAt))];
  }
  // What the aliases add: a large document without them (a spec of 66,000 messages) is no bomb.
  const added = aliases.reduce((sum, alias) => sum + alias.size - 1, 0);
  const worst = aliases.reduce<(typeof aliases)[number] | undefined>((a, b) => (a === undefined || b.size > a.size ? b : a), undefined);
  if (added <= MAX_EXPANDED_NODES || !worst) return [];
  return [
    error(
      DiagnosticCodes.YAML_ALIAS_EXPLOSION,
      `aliases expand this document to more than ${MAX_EXPANDED_NODES} nodes (this one alone to ${worst.size})`,
      nodeSpan(worst.node, spanAt),
    ),
  ];
}

function makeLocator(doc: Document.Parsed, spanAt: SpanAt): Locator {
  return (path, part = 'value') => {
    let node: unknown = doc.contents;
    let keyNode: ParsedNode | undefined;
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        keyNode = pair.key as ParsedNode;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
        keyNode = undefined;
        node = node.items[segment];
      } else {
        break;
      }
    }
    const target = part === 'key' && keyNode ? keyNode : (node as YamlNode | null);
    if (target?.range) return nodeSpan(target, spanAt);
    // A key with no value (`from:`): point at the key.
    if (keyNode) return nodeSpan(keyNode, spanAt);
    return spanAt(0);
  };
}

/** Where the quoted scalar that runs to `end` (an unclosed quote, running to the end of the file) opens. */
function unclosedQuoteAt(doc: Document.Parsed, end: number): number | undefined {
  let opened: number | undefined;
  visit(doc, {
    Scalar(_key, node) {
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range && node.range[1] >= end && node.range[0] < end) opened ??= node.range[0];
    },
  });
  return opened;
}

/** Deeper than this, the YAML parsers run out of stack; no spec comes near it. */
export const MAX_NESTING = 500;

/**
 * The offset where the text nests deeper than MAX_NESTING, in flow collections (`[[[…`, `{{…`) or
 * by indentation (every level of a block collection is indented further), or undefined. Quoted
 * text and comments do not count.
 */
function tooDeep(text: string): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n' || ch === '\r') {
      lineStart = true;
      indent = 0;
      if (quote === "'") continue;
      continue;
    }
    if (lineStart) {
      if (ch === ' ') {
        if (++indent > MAX_NESTING) return i;
        continue;
      }
      lineStart = false;
    }
    if (quote !== undefined) {
      if (quote === '"' && ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") {
      // A quote opens quoted text only where a scalar can start, not inside a plain word (it's).
      const before = text[i - 1];
      if (before === undefined || /[\s[{,:-]/.test(before)) quote = ch;
    } else if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      while (i + 1 < text.length && text[i + 1] !== '\n' && text[i + 1] !== '\r') i++;
    } else if (ch === '[' || ch === '{') {
      if (++depth > MAX_NESTING) return i;
    } else if (ch === ']' || ch === '}') {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}
