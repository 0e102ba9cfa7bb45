/**
 * Mermaid wraps a flowchart label line by line: for each line it adds a `<text>` to the page,
 * reads its length and removes it, and each reading makes the browser lay the page out again (a
 * fifth of a millisecond, thousands of times for a big flowchart). The chunk that defines this is
 * served with every line of a label measured at once, in one layout, before the loop that wraps
 * them: each line in a `<text>` of its own, built as Mermaid builds it, so each length is the one
 * Mermaid would have read. Lines too long are still split word by word as before. A Mermaid whose
 * code looks different is served as it is (the test that finds the change then fails).
 */

/** `computeWidthOfText(parent, lineHeight, line)`: `let text=parent.append("text"),tspan=createTspan(text,1,lineHeight);updateTextContentAndStyles(tspan,line);…getComputedTextLength()`, minified. */
const COMPUTE_WIDTH =
  /function ([\w$]+)\(([\w$]+),([\w$]+),([\w$]+)\)\{let ([\w$]+)=\2\.append\("text"\),([\w$]+)=([\w$]+)\(\5,1,\3\);([\w$]+)\(\6,\4\);let ([\w$]+)=\6\.node\(\)\.getComputedTextLength\(\);return \5\.remove\(\),\9\}/;

/** `createFormattedText`'s loop: `let row=0;for(let line of lines){let checkWidth=…computeWidthOfText(group,1.1,words)<=width…,wrapped=checkWidth(line)?[line]:splitLineToFitWidth(line,checkWidth);`, minified. */
const WRAP_LOOP =
  /let ([\w$]+)=0;for\(let ([\w$]+) of ([\w$]+)\)\{let ([\w$]+)=([\w$]+)\(([\w$]+)=>([\w$]+)\(([\w$]+),1\.1,\6\)<=([\w$]+),"checkWidth"\),([\w$]+)=\4\(\2\)\?\[\2\]:([\w$]+)\(\2,\4\);/;

/** `code` with each label's lines measured in one layout, when it is the chunk that wraps labels. */
export function withLinesMeasuredTogether(code: string): string {
  const width = COMPUTE_WIDTH.exec(code);
  const loop = WRAP_LOOP.exec(code);
  // Only when the loop measures with that very function.
  if (!width || !loop || loop[7] !== width[1] || code.includes('protoflowLineWidths')) return code;
  const [, , , , , , , createTspan, fillTspan] = width;
  // `$n` are the loop's own names (a `$` inside a name is inserted as written).
  const measuredFirst =
    'let $1=0,protoflowWidths=protoflowLineWidths($8,1.1,$3),protoflowLine=0;for(let $2 of $3){' +
    'let $4=$5($6=>$7($8,1.1,$6)<=$9,"checkWidth"),$10=protoflowWidths[protoflowLine++]<=$9?[$2]:$11($2,$4);';
  const helper = `function protoflowLineWidths(group, lineHeight, lines) {
  const texts = lines.map((line) => {
    const text = group.append("text");
    const tspan = ${createTspan}(text, 1, lineHeight);
    ${fillTspan}(tspan, line);
    return { text, tspan };
  });
  const widths = texts.map(({ tspan }) => tspan.node().getComputedTextLength());
  for (const { text } of texts) text.remove();
  return widths;
}`;
  return `${code.replace(WRAP_LOOP, measuredFirst)}\n${helper}\n`;
}
