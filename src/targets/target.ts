import type { HelperDelegate } from 'handlebars';
import type { FlowIR } from '../ir/types.js';
import type { ViewOptions } from '../views/options.js';

/** Which program draws a target's source: PlantUML (its jar, or @plantuml/core in a browser) or Mermaid in a browser. */
export type EngineName = 'plantuml' | 'mermaid';

export type { ViewOptions };

/**
 * A diagram language output. Its syntax lives in `templates/<name>/` and in its escaping
 * helpers; the module only says which view feeds the template and how text is escaped.
 */
export interface Target {
  /** Also the template folder's name. */
  name: string;
  /** Appended to the spec's base name: `https-tls12` + `.sequence.puml`. */
  extension: string;
  /** The template's context, built from the IR by a target-neutral view. */
  view: (flow: FlowIR, options: ViewOptions) => object;
  /** Helpers the templates call, chiefly `text` to escape what the author wrote. */
  helpers: Record<string, HelperDelegate>;
  /** The program that draws this target's source as SVG and PNG; none for a target that is text to read as it is. */
  engine?: EngineName;
  /** Engine options for this target's diagrams (part of the image cache key). */
  renderConfig: Readonly<Record<string, unknown>>;
  /** The language of a Markdown code block holding this target's source: ```mermaid. */
  codeBlock: string;
  /** GitHub and GitLab draw such a block in place, so a Markdown region embeds the source, not an image. */
  drawnInMarkdown: boolean;
}

/** A target drawn as an image. */
export interface DrawnTarget extends Target {
  engine: EngineName;
}

export function isDrawn(target: Target): target is DrawnTarget {
  return target.engine !== undefined;
}
