/**
 * Mermaid breaks a word too long for its box (the label of a sequence diagram's `alt`, `loop` or
 * `group`, a wrapped note) character by character and adds a hyphen. It does so after turning
 * entity codes into placeholders (`#59;` becomes `ﬂ°°59¶ß`), so a break can fall inside one and
 * readers see `°59;` or a raw control character; and the hyphen it adds reads as part of the text.
 * The chunk that defines the breaking is served with words split into characters and whole
 * placeholders, and no hyphen added: a long token is wrapped, every character as written. A Mermaid
 * whose code looks different is served as it is (the drawn-text tests then fail).
 */

/** `breakString = memoize((word, maxWidth, hyphenCharacter = "-", config) => {…; const characters = [...word]`, minified. */
const BREAK_STRING =
  /\(([\w$]+),([\w$]+),([\w$]+)="-",([\w$]+)\)=>\{\4=Object\.assign\(\{fontSize:12,fontWeight:400,fontFamily:"Arial",margin:0\},\4\);let ([\w$]+)=\[\.\.\.\1\]/;

/** One character, or one of Mermaid's entity placeholders (`ﬂ°°59¶ß`, `ﬂ°amp¶ß`), as the page's code writes it. */
export const WHOLE_CHARACTERS_SOURCE = String.raw`/\uFB02\u00B0\u00B0?\w+\u00B6\u00DF|[\s\S]/gu`;

/** `code` with Mermaid's word breaking kept off entity codes and hyphen-free, when it is the chunk that defines it. */
export function withWholeCharacterBreaks(code: string): string {
  const found = BREAK_STRING.exec(code);
  if (!found) return code;
  const [head, word, maxWidth, hyphen, config, characters] = found as unknown as [string, string, string, string, string, string];
  const patched = `(${word},${maxWidth},${hyphen}="-",${config})=>{${hyphen}="";${config}=Object.assign({fontSize:12,fontWeight:400,fontFamily:"Arial",margin:0},${config});let ${characters}=${word}.match(${WHOLE_CHARACTERS_SOURCE})??[]`;
  // A function, not a string: `$` in a minified name must not be read as a replacement pattern.
  return code.replace(head, () => patched);
}
