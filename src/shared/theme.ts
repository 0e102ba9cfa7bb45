/**
 * How images are coloured: `light`, `dark`, or `auto`, one SVG holding both palettes that follows
 * the reader's `prefers-color-scheme` (its PNG is light). Diagram sources are the same in every
 * theme: a theme is a way of drawing them, so a `.mmd` embedded as code still takes the wiki's own.
 */
export const THEMES = ['light', 'dark', 'auto'] as const;
export type Theme = (typeof THEMES)[number];

/** The background each palette paints under a diagram: PlantUML's own dark background, for every target. */
export const BACKGROUND: Readonly<Record<Exclude<Theme, 'auto'>, string>> = { light: '#FFFFFF', dark: '#1B1B1B' };
