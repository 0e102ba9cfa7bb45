import type { FlowIR } from '../../src/ir/types.js';

const span = { file: 'generated.yaml', line: 1, column: 1 };

/** A flow that puts one text in every place a sequence diagram shows text. */
export function flowShowing(text: string): FlowIR {
  return {
    title: text,
    participants: [
      { id: 'a', label: text, kind: 'service' },
      { id: 'b', label: 'B', kind: 'database' },
    ],
    variables: [{ id: 'v', label: 'V', values: [{ id: 'x', label: 'X' }], default: 'x' }],
    phases: [
      {
        title: text,
        span,
        steps: [
          { kind: 'message', label: text, from: 'a', to: 'b', fields: [], arrow: 'sync', abstract: false, span },
          { kind: 'message', label: 'detail', from: 'b', to: 'a', fields: [text], arrow: 'reply', abstract: true, span },
          { kind: 'note', text, at: ['a'], side: 'right', span },
          { kind: 'action', label: text, by: 'b', span },
          {
            kind: 'alt',
            span,
            branches: [
              { condition: [{ variable: 'v', values: ['x'] }], label: text, span, steps: [{ kind: 'note', text: 'n', at: ['a', 'b'], side: 'over', span }] },
              { label: text, span, steps: [{ kind: 'message', label: 'm', from: 'a', to: 'a', fields: [], arrow: 'async', abstract: false, span }] },
            ],
          },
        ],
      },
    ],
  };
}
