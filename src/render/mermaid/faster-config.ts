/**
 * Mermaid's `getConfig()` copies the whole configuration, with an `Object.defineProperty` for each
 * of its hundreds of keys, and Mermaid calls it for every node, edge and label: a quarter of the
 * time of drawing a big flowchart. The chunk that defines it is served to the page with the same
 * copy made by plain assignment. Nothing else changes, and a Mermaid whose code looks different is
 * served as it is.
 */

/**
 * What `assignWithDepth({}, config)` (depth 2) returns: a copy three levels deep in which arrays
 * lose repeated items, nulls are left out and the third level is copied shallowly. Plain
 * JavaScript in a string: the page and the tests run this exact text.
 */
export const COPY_CONFIG_SOURCE = `function protoflowCopyConfig(source, depth = 2) {
  const copy = {};
  for (const key of Object.keys(source)) {
    const value = source[key];
    let copied = value;
    if (typeof value === 'object') {
      if (value === null) continue;
      if (Array.isArray(value)) {
        copied = [];
        for (const item of value) if (!copied.includes(item)) copied.push(item);
      } else copied = depth > 1 ? protoflowCopyConfig(value, depth - 1) : Object.assign({}, value);
    }
    if (key !== '__proto__') copy[key] = copied;
    // As assignWithDepth does: an own property for an object; a plain value meets the inherited
    // __proto__, an object, and is left out.
    else if (typeof value === 'object') Object.defineProperty(copy, key, { value: copied, writable: true, enumerable: true, configurable: true });
  }
  return copy;
}`;

/** `getConfig = name(() => assignWithDepth({}, currentConfig), "getConfig")`, minified. */
const GET_CONFIG = /([\w$]+)=([\w$]+)\(\(\)=>([\w$]+)\(\{\},([\w$]+)\),"getConfig"\)/;

/** `code` with getConfig copying through COPY_CONFIG_SOURCE, when it is the chunk that defines it. */
export function withFasterGetConfig(code: string): string {
  const found = GET_CONFIG.exec(code);
  if (!found || code.includes('protoflowCopyConfig')) return code;
  const [definition, getConfig, name, assign, current] = found as unknown as [string, string, string, string, string];
  // Only when the copy it makes is assignWithDepth's: `assignWithDepth = name(…, "assignWithDepth")`.
  if (!code.includes(`"assignWithDepth"),${assign}=`)) return code;
  // A function, not a string: `$` in a minified name must not be read as a replacement pattern.
  const faster = code.replace(definition, () => `${getConfig}=${name}(()=>protoflowCopyConfig(${current}),"getConfig")`);
  return `${faster}\n${COPY_CONFIG_SOURCE}\n`;
}
