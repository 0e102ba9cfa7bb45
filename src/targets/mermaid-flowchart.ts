import { flowchartView } from '../views/flowchart.js';
import { mermaidFlowchartText, mermaidFrontMatterString } from './escape/mermaid.js';
import type { DrawnTarget } from './target.js';

export const mermaidFlowchart: DrawnTarget = {
  name: 'mermaid-flowchart',
  extension: '.flowchart.mmd',
  view: flowchartView,
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
