/**
 * Mermaid draws a flowchart's title as one line of SVG text, so a line break in it is lost and a
 * scenario's title (it names every value) made the diagram as wide as the title. The chunk that
 * defines `insertTitle` is served with each line of the title in a tspan of its own, the last on
 * the title's baseline and the others above it, before Mermaid measures the drawing for its
 * viewBox. A Mermaid whose code looks different is served as it is (the title tests then fail).
 */

/** `insertTitle`'s body: `bounds&&parent.append("text").text(title)…attr("y",-margin).attr("class",cssClass)`, minified. */
const APPEND_TITLE =
  /([\w$]+)&&([\w$]+)\.append\("text"\)\.text\(([\w$]+)\)\.attr\("text-anchor","middle"\)\.attr\("x",\1\.x\+\1\.width\/2\)\.attr\("y",-([\w$]+)\)\.attr\("class",([\w$]+)\)/;

/** `code` with titles drawn one tspan per line, when it is the chunk that defines `insertTitle`. */
export function withTitleLines(code: string): string {
  const found = APPEND_TITLE.exec(code);
  if (!found) return code;
  const [head, bounds, parent, title, margin, cssClass] = found as unknown as [string, string, string, string, string, string];
  const x = `${bounds}.x+${bounds}.width/2`;
  const patched =
    `${bounds}&&((protoflowText,protoflowLines)=>protoflowLines.forEach((protoflowLine,protoflowIndex)=>protoflowText.append("tspan").attr("x",${x})` +
    `.attr("dy",protoflowIndex===0?(-1.2*(protoflowLines.length-1)).toFixed(1)+"em":"1.2em").text(protoflowLine)))` +
    `(${parent}.append("text").attr("text-anchor","middle").attr("x",${x}).attr("y",-${margin}).attr("class",${cssClass}),String(${title}).split("\\n"))`;
  // A function, not a string: `$` in a minified name must not be read as a replacement pattern.
  return code.replace(head, () => patched);
}
