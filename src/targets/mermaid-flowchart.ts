import { flowchartView } from '../views/flowchart.js';
import { mermaidFlowchartText, mermaidFrontMatterString } from './escape/mermaid.js';
import type { Target } from './target.js';

export const mermaidFlowchart: Target = {
  name: 'mermaid-flowchart',
  extension: '.flowchart.mmd',
  view: flowchartView,
  helpers: {
    text: mermaidFlowchartText,
    yamlString: mermaidFrontMatterString,
  },
  engine: 'mermaid',
  // Labels as SVG text instead of HTML in foreignObject: wikis and non-browser SVG viewers show them.
  renderConfig: { htmlLabels: false, flowchart: { htmlLabels: false } },
  codeBlock: 'mermaid',
  drawnInMarkdown: true,
};
