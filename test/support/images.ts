import { SaxesParser } from 'saxes';
import type { FlowIR, Step } from '../../src/ir/types.js';

/**
 * Every `<text>` element's content (tspans included), in document order, as an XML parser reads
 * it: entity references decoded, and an SVG that is not well-formed XML an error.
 */
export function svgTexts(svg: string): string[] {
  const parser = new SaxesParser({ xmlns: false });
  const texts: string[] = [];
  let depth = 0;
  let current = '';
  const add = (text: string) => {
    if (depth > 0) current += text;
  };
  parser.on('opentag', (tag) => {
    if (tag.name === 'text' && depth++ === 0) current = '';
  });
  parser.on('closetag', (tag) => {
    if (tag.name === 'text' && --depth === 0) texts.push(current);
  });
  parser.on('text', add);
  parser.on('cdata', add);
  parser.on('error', (cause) => {
    throw new Error(`the SVG is not well-formed XML: ${cause.message}`);
  });
  parser.write(svg).close();
  return texts;
}

/**
 * Text compared without whitespace: renderers wrap lines and split words into tspans at will, but
 * must keep every other character of every label.
 */
export const squeeze = (text: string) => text.replace(/\s+/g, '');

/** Every line of every text the author wrote in a flow. */
export function flowTexts(flow: FlowIR): string[] {
  const texts: string[] = [flow.title, ...flow.participants.map((p) => p.label)];
  const steps = (list: readonly Step[]): void => {
    for (const step of list) {
      switch (step.kind) {
        case 'message':
          texts.push(step.label, ...step.fields, ...(step.encrypted ? [step.encrypted] : []));
          break;
        case 'action':
          texts.push(step.label);
          break;
        case 'note':
          texts.push(step.text);
          break;
        case 'alt':
        case 'par':
          for (const branch of step.branches) {
            texts.push(branch.label);
            steps(branch.steps);
          }
          break;
        case 'ref':
          // A collapsed include shows its label, not the steps it stands for.
          texts.push(step.label);
          break;
        case 'delay':
          if (step.text !== '') texts.push(step.text);
          break;
        case 'destroy':
          break;
        default:
          texts.push(step.label);
          steps(step.steps);
      }
    }
  };
  for (const phase of flow.phases) {
    texts.push(phase.title);
    steps(phase.steps);
  }
  return texts.flatMap((t) => t.split('\n')).filter((t) => squeeze(t) !== '');
}

export interface PngInfo {
  width: number;
  height: number;
}

/** Width and height from a PNG's IHDR chunk, or undefined when the bytes are not a PNG. */
export function pngInfo(data: Uint8Array): PngInfo | undefined {
  const buffer = Buffer.from(data);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (buffer.length < 33 || !buffer.subarray(0, 8).equals(signature) || buffer.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
}

/** The SVG's own size, from its viewBox. */
export function svgViewBox(svg: string): { width: number; height: number } | undefined {
  const box = /<svg\b[^>]*\bviewBox="([^"]+)"/
    .exec(svg)?.[1]
    ?.trim()
    .split(/[\s,]+/)
    .map(Number);
  return box && box.length === 4 ? { width: box[2]!, height: box[3]! } : undefined;
}
