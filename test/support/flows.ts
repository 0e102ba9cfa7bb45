import type { FlowIR, Step } from '../../src/ir/types.js';

const source: readonly (string | number)[] = [];

/**
 * A flow that puts one text in every place a sequence diagram shows text. The `loop` and `group`
 * hold only a short participant's self-message, so that they are narrow and a long text is wrapped
 * in them.
 */
export function flowShowing(text: string): FlowIR {
  return {
    title: text,
    groups: [],
    participants: [
      { id: 'a', label: text, kind: 'service' },
      { id: 'b', label: 'B', kind: 'database' },
      { id: 'c', label: 'C', kind: 'service' },
    ],
    variables: [{ id: 'v', label: 'V', values: [{ id: 'x', label: 'X' }], default: 'x', trace: {}, source: ['variables', 'v'] }],
    scenarios: { exclude: [] },
    trace: {},
    phases: [
      {
        title: text,
        source,
        steps: [
          { kind: 'message', label: text, from: 'a', to: 'b', fields: [], arrow: 'sync', abstract: false, trace: [], source },
          { kind: 'message', label: 'detail', from: 'b', to: 'a', fields: [text], arrow: 'reply', abstract: true, trace: [], source },
          { kind: 'note', text, at: ['a'], side: 'right', source },
          { kind: 'action', label: text, by: 'b', source },
          {
            kind: 'alt',
            source,
            branches: [
              {
                condition: [{ variable: 'v', values: ['x'] }],
                label: text,
                source,
                steps: [{ kind: 'note', text: 'n', at: ['a', 'b'], side: 'over', source }],
              },
              {
                label: text,
                source,
                steps: [{ kind: 'message', label: 'm', from: 'a', to: 'a', fields: [], arrow: 'async', abstract: false, trace: [], source }],
              },
            ],
          },
          { kind: 'loop', label: text, source, steps: [selfMessage('again')] },
          { kind: 'group', label: text, source, steps: [selfMessage('alone')] },
        ],
      },
    ],
  };
}

function selfMessage(label: string): Step {
  return { kind: 'message', label, from: 'c', to: 'c', fields: [], arrow: 'sync', abstract: false, trace: [], source };
}
