/**
 * Mermaid runs every label through DOMPurify, twice, and DOMPurify reads its whole configuration
 * again on every call (its allow-lists of hundreds of tags and attributes): a sixth of the time of
 * drawing a flowchart. For a text without `<` DOMPurify then returns the text as it came (its own
 * shortcut, taken unless a setting asks for a DOM, a whole document, template-safe text or a
 * trusted type). The chunk that calls it is served with that shortcut taken first, on the same
 * condition, and never once settings were fixed with `setConfig` (Mermaid fixes none). A Mermaid
 * whose code looks different is served as it is (the test that finds the change then fails).
 */

/** `removeScript = name((text) => (setupDompurifyHooks(), DOMPurify.sanitize(text)), "removeScript")`, minified. */
const REMOVE_SCRIPT = /[\w$]+\(([\w$]+)=>\([\w$]+\(\),([\w$]+)\.sanitize\(\1\)\),"removeScript"\)/;

/**
 * `protoflowSanitize(purify, text, config)` returns what `purify.sanitize(text, config)` returns,
 * the same text without asking DOMPurify when its shortcut would; `protoflowWatchSettings(purify)`
 * notes settings fixed with `setConfig`, which DOMPurify's shortcut also looks at.
 */
export const SANITIZE_SOURCE = `function protoflowSanitize(purify, text, config) {
  if (!purify.protoflowSettingsFixed && typeof text === "string" && text !== "" && !text.includes("<") && !config?.RETURN_DOM && !config?.RETURN_DOM_FRAGMENT && !config?.WHOLE_DOCUMENT && !config?.SAFE_FOR_TEMPLATES && !config?.RETURN_TRUSTED_TYPE) return text;
  return purify.sanitize(text, config);
}
function protoflowWatchSettings(purify) {
  const { setConfig, clearConfig } = purify;
  purify.setConfig = (settings) => { purify.protoflowSettingsFixed = true; return setConfig(settings); };
  purify.clearConfig = () => { purify.protoflowSettingsFixed = false; return clearConfig(); };
}`;

/** `code` with DOMPurify's shortcut for plain text taken before it reads its configuration, when it is the chunk that sanitises labels. */
export function withPlainTextSanitizedQuickly(code: string): string {
  const found = REMOVE_SCRIPT.exec(code);
  if (!found || code.includes('protoflowSanitize')) return code;
  const purify = found[2]!;
  // Every call in the chunk, each as `purify.sanitize(text)` or `purify.sanitize(text, config)`.
  const calls = new RegExp(`(?<![\\w$.])${purify.replace(/\$/g, '\\$')}\\.sanitize\\(`, 'g');
  // Watched from the end of the chunk, before any other module can use it.
  return `${code.replace(calls, () => `protoflowSanitize(${purify},`)}\n${SANITIZE_SOURCE}\nprotoflowWatchSettings(${purify});\n`;
}
