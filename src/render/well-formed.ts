import { SaxesParser } from 'saxes';

/**
 * Why `svg` is not well-formed XML (the first problem, with its line and column), or undefined
 * when it is. A renderer's SVG that a browser or a wiki would refuse (a raw control character, a
 * tag cut in two) is reported instead of written.
 */
export function xmlProblem(svg: string): string | undefined {
  const parser = new SaxesParser({ xmlns: false });
  let problem: string | undefined;
  parser.on('error', (cause) => {
    problem ??= cause.message;
  });
  try {
    parser.write(svg).close();
  } catch (cause) {
    problem ??= cause instanceof Error ? cause.message : String(cause);
  }
  return problem;
}
