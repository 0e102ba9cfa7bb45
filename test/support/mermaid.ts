import { JSDOM } from 'jsdom';

// Mermaid sanitises labels with DOMPurify, which needs a DOM: give it jsdom's before Mermaid loads.
const { window } = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
// Mermaid checks a box's colour by setting it on an Option's style, as a browser does.
Object.assign(globalThis, { window, document: window.document, DOMParser: window.DOMParser, Element: window.Element, Option: window.Option });
const { default: mermaid } = await import('mermaid');

export interface MermaidResult {
  ok: boolean;
  error?: string;
  /** Title, participant, message, node, edge and subgraph texts as Mermaid's parser read them, entity codes decoded. */
  texts: string[];
}

mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

/** Parses a diagram with the real Mermaid parser; `texts` holds what each part of it will show. */
export async function parseMermaid(source: string): Promise<MermaidResult> {
  try {
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(source);
    const db = diagram.db as {
      getMessages?: () => { message?: string }[];
      getActors?: () => Map<string, { description?: string }>;
      getDiagramTitle?: () => string;
      getVertices?: () => Map<string, { text?: string }>;
      getEdges?: () => { text?: string }[];
      getSubGraphs?: () => { title?: string }[];
    };
    const texts = [
      db.getDiagramTitle?.() ?? '',
      ...[...(db.getActors?.().values() ?? [])].map((a) => a.description ?? ''),
      ...(db.getMessages?.() ?? []).map((m) => m.message ?? ''),
      ...[...(db.getVertices?.().values() ?? [])].map((v) => v.text ?? ''),
      ...(db.getEdges?.() ?? []).map((e) => e.text ?? ''),
      ...(db.getSubGraphs?.() ?? []).map((g) => g.title ?? ''),
    ].map(decodeMermaid);
    return { ok: true, texts };
  } catch (cause) {
    return { ok: false, error: cause instanceof Error ? cause.message : String(cause), texts: [] };
  }
}

/**
 * What the reader finally sees: Mermaid swaps entity codes for placeholders while parsing and
 * turns them into character references in the finished SVG; `<br/>` is a line break, and the
 * sanitiser writes a no-break space as `&nbsp;`.
 */
function decodeMermaid(text: string): string {
  return text
    .split(/<br\s*\/?>/i)
    .map((line) => line.replace(/ﬂ°°(\d+)¶ß/g, (_, code: string) => String.fromCodePoint(Number(code))).replaceAll('&nbsp;', '\u00a0'))
    .join('\n');
}
