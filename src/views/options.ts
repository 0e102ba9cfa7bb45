/** Choices a user makes about what diagrams show. */
export interface ViewOptions {
  /** Draw notes in flowcharts (sequence diagrams always show them). Default true. */
  flowchartNotes?: boolean;
}
