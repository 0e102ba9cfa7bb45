import type { FlowIR } from '../ir/types.js';
import { type FlowchartView, type FlowLane, flowchartView } from '../views/flowchart.js';
import type { ViewOptions } from '../views/options.js';
import { mermaidFlowchartText, mermaidFrontMatterString } from './escape/mermaid.js';
import type { DrawnTarget } from './target.js';

export const mermaidFlowchart: DrawnTarget = {
  name: 'mermaid-flowchart',
  extension: '.flowchart.mmd',
  view: (flow: FlowIR, options: ViewOptions) => declaredForDagre(flowchartView(flow, options)),
  helpers: {
    text: mermaidFlowchartText,
    yamlString: mermaidFrontMatterString,
  },
  engine: 'mermaid',
  // Labels as SVG text instead of HTML in foreignObject: wikis and non-browser SVG viewers show them.
  renderConfig: { htmlLabels: false, flowchart: { htmlLabels: false, wrappingWidth: 190, nodeSpacing: 20 } },
  codeBlock: 'mermaid',
  drawnInMarkdown: true,
};

/**
 * Mermaid's layout (dagre) places lanes connected back and forth right to left in the order they
 * are declared, most often: declared last to first, they come out first to last. A group's box
 * opens before its first member and closes after its last, so with the lanes the ends swap.
 */
function declaredForDagre(view: FlowchartView): FlowchartView {
  // A group's members are next to each other: the box a lane closes is the one opened last.
  let open: FlowLane['opens'];
  const lanes = view.lanes.map((lane): FlowLane => {
    const { opens, closes, ...rest } = lane;
    open = opens ?? open;
    return { ...rest, ...(closes && open ? { opens: open } : {}), ...(opens ? { closes: true } : {}) };
  });
  return { ...view, lanes: lanes.reverse() };
}
