import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import type sharp from 'sharp';

/**
 * PNGs with a palette: libimagequant, through sharp (libvips built for each platform, shipped in
 * registry packages, so nothing to install by hand), turns the browser's truecolour PNG of a
 * diagram into one of at most 256 colours, a quarter of the bytes with no difference a reader sees
 * (diagrams are flat colours and anti-aliased text). Where sharp cannot load (a platform it has no
 * build for), PNGs are written as the browser draws them, and the build says so once.
 */
export type PngPaletteKind = 'libimagequant' | 'none';

/** The PNG as it is written, and why it has no palette when it could not be given one. */
export interface Shrunk {
  png: Uint8Array;
  problem?: string;
}

export interface PngPalette {
  /** How PNGs are made smaller here, for image keys. */
  readonly kind: PngPaletteKind;
  /** What gives PNGs their palette here ("libimagequant 2.4.1 in sharp 0.35.5"), or why nothing can. */
  describe(): Promise<{ by: string } | { problem: string }>;
  /** The PNG with a palette, or as it was when that is no smaller or it cannot be read. */
  shrink(png: Uint8Array): Promise<Shrunk>;
}

/** PNGs as the browser draws them. */
export const NO_PALETTE: PngPalette = {
  kind: 'none',
  describe: async () => ({ problem: 'PNGs are written without a palette' }),
  shrink: async (png) => ({ png }),
};

const NOT_INSTALLED = 'sharp is not installed, so PNGs are written without a palette';

/**
 * sharp's options, measured on the bundled diagrams (docs/rendering.md has the table): effort 1,
 * the quickest palette search (4 takes 45 % longer for the same bytes); quality 95, as few colours
 * as keep the picture (57 on average, where 100 takes up to 256: a quarter less time and 13 % fewer
 * bytes, no difference to see); no dithering, which flat colours do not need; zlib level 6 (9
 * costs half again the time for 10 % fewer bytes). 41 % of the time pngquant took, for 5 % fewer bytes.
 */
const PALETTE_OPTIONS = { palette: true, effort: 1, compressionLevel: 6, dither: 0, quality: 95 } as const;

type Sharp = typeof sharp;
export type LoadSharp = () => Promise<Sharp>;

const require = createRequire(import.meta.url);
const loadInstalledSharp: LoadSharp = async () => {
  const { default: sharp } = await import('sharp');
  // Each PNG is shrunk once: libvips' cache of recent operations would only hold their pixels.
  sharp.cache(false);
  return sharp;
};

/**
 * The palette this installation gives PNGs: libimagequant when sharp is installed (it is a
 * dependency). Decided without loading it, which takes longer than a build with nothing to draw.
 */
export function findPngPalette(load: LoadSharp = loadInstalledSharp): PngPalette {
  try {
    require.resolve('sharp');
  } catch {
    return { kind: 'none', describe: async () => ({ problem: NOT_INSTALLED }), shrink: async (png) => ({ png, problem: NOT_INSTALLED }) };
  }
  let loading: Promise<Sharp | { problem: string }> | undefined;
  const loaded = () =>
    (loading ??= load().then(
      (sharp) => sharp,
      (cause: unknown) => ({ problem: `sharp cannot load here (${firstLine(cause)}), so PNGs are written without a palette` }),
    ));
  // One image per core at a time (a 16384-pixel-square canvas is a gigabyte decoded), and at most
  // three: sharp works in libuv's four threads, and writing files needs one.
  const slots = new Slots(Math.min(availableParallelism(), 3));
  return {
    kind: 'libimagequant',
    async describe() {
      const sharp = await loaded();
      if ('problem' in sharp) return sharp;
      const { imagequant, sharp: version } = sharp.versions;
      return { by: `libimagequant${imagequant ? ` ${imagequant}` : ''} in sharp ${version}` };
    },
    async shrink(png) {
      const sharp = await loaded();
      if ('problem' in sharp) return { png, problem: sharp.problem };
      return slots.run(async () => {
        try {
          // No pixel limit: the canvas the PNG was drawn on already bounds it.
          const out = await sharp(png, { limitInputPixels: false }).png(PALETTE_OPTIONS).toBuffer();
          return { png: out.byteLength < png.byteLength ? new Uint8Array(out) : png };
        } catch {
          // Not a PNG sharp can read: written as it came.
          return { png };
        }
      });
    },
  };
}

function firstLine(cause: unknown): string {
  return (cause instanceof Error ? cause.message : String(cause)).split('\n')[0]!.trim();
}

/** Runs at most `size` tasks at once, the others in turn. */
class Slots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.size) this.running++;
    // A finished task hands its slot straight on, so none is taken in between.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
