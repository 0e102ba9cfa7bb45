/** Compiled patterns, by pattern: an alignment asks the same few patterns again for every step. */
const compiled = new Map<string, RegExp>();

/** Does `text` match `pattern`, where `*` stands for any run of characters and everything else for itself? */
export function matchesPattern(pattern: string, text: string): boolean {
  let regex = compiled.get(pattern);
  if (!regex) {
    const source = pattern
      .split('*')
      .map((part) => part.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'))
      .join('.*');
    regex = new RegExp(`^${source}$`, 's');
    compiled.set(pattern, regex);
  }
  return regex.test(text);
}

export function matchesAny(patterns: readonly string[], text: string): boolean {
  return patterns.some((pattern) => matchesPattern(pattern, text));
}
