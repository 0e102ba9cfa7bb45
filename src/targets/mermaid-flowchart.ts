import type { FlowIR } from '../ir/types.js';
import { type FlowchartView, flowchartView } from '../views/flowchart.js';
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
  renderConfig: { htmlLabels: false, flowchart: { htmlLabels: false, wrappingWidth: 190, nodeSpacing: 20, subGraphTitleMargin: { top: 0, bottom: 40 } } },
  codeBlock: 'mermaid',
  drawnInMarkdown: true,
};

/** Mermaid's layout (dagre) places lanes connected back and forth right to left in the order they are declared, most often: declared last to first, they come out first to last. */
function declaredForDagre(view: FlowchartView): FlowchartView {
  return { ...view, lanes: view.lanes.toReversed() };
}
