// sharp (and libvips) load on first use: a process that never makes a thumbnail never pays ~20 MB.
const loadSharp = async () => (await import('sharp')).default;
import { DerivativeError, assertReadable, briefMessage } from './derivative-error.ts';

export { DerivativeError } from './derivative-error.ts';

// PDF first-page thumbnails are deliberately not made here. pdf-parse's getScreenshot (pdf.js +
// @napi-rs/canvas, both present as pdf-parse dependencies) was tried on the fixtures: text pages
// rendered, but the scanned pages of Seige_of_Vicksburg_Sample_OCR.pdf came out blank white
// (pdf.js cannot decode the embedded scan images in Node without its wasm/image decoders wired
// up), and scans are exactly what a library holds. A native renderer crash would also take the
// whole worker process down. Revisit with poppler's pdftoppm in a subprocess.

export interface Thumbnail {
  data: Buffer;
  width: number;
  height: number;
  mediaType: 'image/webp';
}

export interface ThumbnailOptions {
  /** Maximum width in pixels; smaller images are not enlarged. Default 320. */
  width?: number;
  /** Maximum height; stops a 1 px wide strip becoming a 40,000 px tall thumbnail. Default 4 × width. */
  maxHeight?: number;
  /** libvips gives up after this long. Default 30 s. */
  timeoutSeconds?: number;
}

// sharp also reads SVG, HEIF, JP2, raw camera files...; only the raster types that passed upload
// sniffing are rendered, so a mislabelled job cannot feed librsvg an SVG.
const THUMBNAILABLE = new Set(['jpeg', 'png', 'webp', 'tiff', 'gif']);

const DEFAULT_WIDTH = 320;
const WEBP_QUALITY = 75;

// `failOn: 'error'` makes truncated JPEG/PNG data fail (libvips would otherwise pad the missing
// rows with grey) while tolerating the harmless warnings common in camera files. The default
// `limitInputPixels` (~268 Mpx) is kept: it is the decompression-bomb guard, checked from the
// header before any pixels are decoded.
const INPUT_OPTIONS = { failOn: 'error' } as const;

function checkDimension(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 4096) {
    throw new RangeError(`${name} must be an integer between 1 and 4096, got ${value}`);
  }
  return value;
}

async function readFormat(filePath: string): Promise<string> {
  let format: string | undefined;
  try {
    ({ format } = await (await loadSharp())(filePath, INPUT_OPTIONS).metadata());
  } catch (e) {
    throw new DerivativeError(`Not a readable image: ${briefMessage(e)}`, { cause: e });
  }
  if (!format || !THUMBNAILABLE.has(format)) {
    throw new DerivativeError(`Image format ${format ?? 'unknown'} is not thumbnailed`);
  }
  return format;
}

export async function makeThumbnail(filePath: string, opts: ThumbnailOptions = {}): Promise<Thumbnail> {
  const width = checkDimension('width', opts.width ?? DEFAULT_WIDTH);
  const maxHeight = checkDimension('maxHeight', opts.maxHeight ?? width * 4);
  await assertReadable(filePath);
  await readFormat(filePath);
  try {
    // Only the first frame/page is read (sharp's default), so animated GIF/WebP and multi-page
    // TIFF give a still. autoOrient() (the no-argument rotate()) applies EXIF orientation before
    // resizing; metadata, EXIF included, is then stripped and colours converted to sRGB.
    const { data, info } = await (await loadSharp())(filePath, INPUT_OPTIONS)
      .autoOrient()
      .resize({ width, height: maxHeight, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: WEBP_QUALITY })
      .timeout({ seconds: opts.timeoutSeconds ?? 30 })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, mediaType: 'image/webp' };
  } catch (e) {
    throw new DerivativeError(`Image could not be decoded: ${briefMessage(e)}`, { cause: e });
  }
}

/** True when an image is one flat colour (every channel's standard deviation under 1): a page pdf.js drew blank. */
export async function isBlankImage(data: Buffer): Promise<boolean> {
  try {
    const { channels } = await (await loadSharp())(data).stats();
    return channels.every((c) => c.stdev < 1);
  } catch {
    return true;
  }
}
