/** Choices a user makes about what diagrams show. */
export interface ViewOptions {
  /** Draw notes in flowcharts (sequence diagrams always show them). Default true. */
  flowchartNotes?: boolean;
  /** One lane per participant, one per group (its members' nodes name them), or (`auto`, the default) per group past MAX_LANES participants. */
  flowchartLanes?: FlowchartLanes;
}

export const FLOWCHART_LANES = ['auto', 'participants', 'groups'] as const;
export type FlowchartLanes = (typeof FLOWCHART_LANES)[number];
