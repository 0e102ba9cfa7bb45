import type { FlowIR } from '../ir/types.js';
import { type FlowchartView, flowchartView } from '../views/flowchart.js';
import type { ViewOptions } from '../views/options.js';
import { mermaidFlowchartText, mermaidFrontMatterString } from './escape/mermaid.js';
import type { DrawnTarget } from './target.js';

export const mermaidFlowchart: DrawnTarget = {
  name: 'mermaid-flowchart',
  extension: '.flowchart.mmd',
  view: (flow: FlowIR, options: ViewOptions) => laidOutForDagre(flowchartView(flow, options)),
  helpers: {
    text: mermaidFlowchartText,
    yamlString: mermaidFrontMatterString,
  },
  engine: 'mermaid',
  // Labels as SVG text instead of HTML in foreignObject: wikis and non-browser SVG viewers show them.
  renderConfig: { htmlLabels: false, flowchart: { htmlLabels: false, wrappingWidth: 190, nodeSpacing: 16, subGraphTitleMargin: { top: 0, bottom: 40 } } },
  codeBlock: 'mermaid',
  drawnInMarkdown: true,
};

/**
 * The view as dagre, Mermaid's layout, keeps lanes in order. It orders the nodes of each rank to
 * cross as few edges as it can, and a mirror image crosses as many: which way round comes out
 * depends on where its search starts, at the first and last ranks. So each lane gets an invisible
 * node above the start (`heads`) and one below the end (`tails`), tied to them in lane order; and
 * lanes are declared last to first. On the bundled specs every flowchart then has its lanes in the
 * participants' order (without the anchors, 35 of 59; declared first to last, every one reversed).
 */
function laidOutForDagre(view: FlowchartView) {
  const nodes = view.lanes.flatMap((lane) => lane.phases.flatMap((phase) => phase.nodes));
  const start = nodes.find((node) => node.shape === 'start')?.id;
  const end = nodes.find((node) => node.shape === 'end')?.id;
  return { ...view, lanes: view.lanes.toReversed(), anchors: start && end ? { start, end, lanes: view.lanes.map((lane) => lane.index) } : undefined };
}
