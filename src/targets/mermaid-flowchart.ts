import { flowchartView } from '../views/flowchart.js';
import { mermaidFlowchartText } from './escape/mermaid.js';
import type { Target } from './target.js';

export const mermaidFlowchart: Target = {
  name: 'mermaid-flowchart',
  extension: '.flowchart.mmd',
  view: flowchartView,
  helpers: {
    text: mermaidFlowchartText,
    // The title goes in the YAML front matter, where a JSON string is a valid double-quoted scalar.
    yamlString: (text: string) => JSON.stringify(text),
  },
  engine: 'mermaid',
  // Labels as SVG text instead of HTML in foreignObject: wikis and non-browser SVG viewers show them.
  renderConfig: { htmlLabels: false, flowchart: { htmlLabels: false } },
  codeBlock: 'mermaid',
  drawnInMarkdown: true,
};
