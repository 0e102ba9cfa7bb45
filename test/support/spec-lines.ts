/** The 1-based line of `specText` where the message with this id starts (its `- message:` line). */
export function messageLine(specText: string, id: string): number {
  const lines = specText.split('\n');
  const idLine = lines.findIndex((line) => line.trim() === `id: ${id}`);
  return lines.slice(0, idLine).findLastIndex((line) => line.trim().startsWith('- message:')) + 1;
}
