import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DerivativeError, makeThumbnail } from './thumbnail.ts';
import type { Thumbnail } from './thumbnail.ts';
import type { Scratch } from './test-inputs.ts';
import { fixture, fixturesPresent, minimalPdf, pngClaiming, scratchDir, warnIfNoFixtures } from './test-inputs.ts';

async function expectWebp(thumb: Thumbnail, maxWidth = 320) {
  expect(thumb.mediaType).toBe('image/webp');
  expect(thumb.data.subarray(0, 4).toString('latin1')).toBe('RIFF');
  expect(thumb.data.subarray(8, 12).toString('latin1')).toBe('WEBP');
  const meta = await sharp(thumb.data).metadata();
  expect(meta.format).toBe('webp');
  expect([meta.width, meta.height]).toEqual([thumb.width, thumb.height]);
  expect(meta.pages ?? 1).toBe(1);
  expect(meta.exif).toBeUndefined();
  expect(thumb.width).toBeLessThanOrEqual(maxWidth);
  return meta;
}

describe('makeThumbnail on generated images', () => {
  let scratch: Scratch;
  beforeAll(async () => {
    scratch = await scratchDir();
  });
  afterAll(() => scratch.cleanup());

  const image = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#c33' } });

  it('scales a large landscape PNG to 320 px wide, keeping the aspect ratio', async () => {
    const path = await scratch.write('wide.png', await image(1600, 800).png().toBuffer());
    const thumb = await makeThumbnail(path);
    await expectWebp(thumb);
    expect([thumb.width, thumb.height]).toEqual([320, 160]);
  });

  it('does not enlarge a small image', async () => {
    const path = await scratch.write('small.gif', await image(50, 30).gif().toBuffer());
    const thumb = await makeThumbnail(path);
    expect([thumb.width, thumb.height]).toEqual([50, 30]);
  });

  it('honours a custom width', async () => {
    const path = await scratch.write('custom.tiff', await image(1000, 1000).tiff().toBuffer());
    const thumb = await makeThumbnail(path, { width: 100 });
    await expectWebp(thumb, 100);
    expect([thumb.width, thumb.height]).toEqual([100, 100]);
  });

  it('caps the height of very tall images', async () => {
    const path = await scratch.write('strip.webp', await image(200, 8000).webp().toBuffer());
    const thumb = await makeThumbnail(path);
    expect(thumb.height).toBeLessThanOrEqual(1280);
    expect(thumb.width).toBe(32);
  });

  it('applies EXIF orientation: a 60×40 JPEG tagged orientation 6 becomes portrait', async () => {
    const path = await scratch.write('rotated.jpg', await image(60, 40).jpeg().withMetadata({ orientation: 6 }).toBuffer());
    const thumb = await makeThumbnail(path);
    await expectWebp(thumb);
    expect([thumb.width, thumb.height]).toEqual([40, 60]);
  });

  it('uses the first frame of an animation', async () => {
    const frames = await Promise.all(['red', 'green', 'blue'].map((c) => sharp({ create: { width: 400, height: 300, channels: 3, background: c } }).png().toBuffer()));
    const path = await scratch.write('anim.gif', await sharp(frames, { join: { animated: true } }).gif().toBuffer());
    const thumb = await makeThumbnail(path);
    await expectWebp(thumb);
    expect([thumb.width, thumb.height]).toEqual([320, 240]);
    const { dominant } = await sharp(thumb.data).stats();
    expect(dominant.r).toBeGreaterThan(200);
    expect(dominant.b).toBeLessThan(50);
  });

  it('refuses a truncated JPEG', async () => {
    const full = await image(800, 600).jpeg().toBuffer();
    const path = await scratch.write('cut.jpg', full.subarray(0, Math.floor(full.length / 2)));
    await expect(makeThumbnail(path)).rejects.toThrow(DerivativeError);
  });

  it('refuses a PNG header that claims 900 megapixels (decompression bomb)', async () => {
    const path = await scratch.write('bomb.png', pngClaiming(30_000, 30_000));
    await expect(makeThumbnail(path)).rejects.toThrow(/exceeds pixel limit/);
  });

  it('refuses formats it is not meant to render', async () => {
    const svg = await scratch.write('x.svg', '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
    await expect(makeThumbnail(svg)).rejects.toThrow(/svg is not thumbnailed/);
    const pdf = await scratch.write('x.pdf', minimalPdf(['hi']));
    await expect(makeThumbnail(pdf)).rejects.toThrow(DerivativeError);
    const text = await scratch.write('x.txt', 'not an image');
    await expect(makeThumbnail(text)).rejects.toThrow(/Not a readable image/);
  });

  it('reports a missing file as a plain fs error, not a DerivativeError', async () => {
    const err = await makeThumbnail(`${scratch.dir}/missing.png`).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(DerivativeError);
    expect(String(err)).toMatch(/ENOENT/);
  });

  it('validates the width option', async () => {
    await expect(makeThumbnail('/nonexistent', { width: 0 })).rejects.toThrow(RangeError);
    await expect(makeThumbnail('/nonexistent', { width: 12.5 })).rejects.toThrow(RangeError);
  });
});

warnIfNoFixtures('thumbnail');
describe.skipIf(!fixturesPresent)('makeThumbnail on the shared corpus', () => {
  const images = fixturesPresent ? readdirSync(fixture('image')) : [];

  it.each(images)('image/%s gives a WebP at most 320 px wide', async (name) => {
    await expectWebp(await makeThumbnail(fixture(`image/${name}`)));
  });

  it('Landscape_6.jpg (stored 450×600, EXIF orientation 6) comes out landscape', async () => {
    const thumb = await makeThumbnail(fixture('image/Landscape_6.jpg'));
    expect(thumb.width).toBeGreaterThan(thumb.height);
    expect([thumb.width, thumb.height]).toEqual([320, 240]);
  });

  it.each(['bad/truncated.jpg', 'bad/truncated.png'])('%s throws DerivativeError', async (file) => {
    const err = await makeThumbnail(fixture(file)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DerivativeError);
    expect((err as DerivativeError).reason).toMatch(/^Image could not be decoded: /);
  });

  it('bad/javascriptalert.svg is refused, not rendered', async () => {
    await expect(makeThumbnail(fixture('bad/javascriptalert.svg'))).rejects.toThrow(DerivativeError);
  });

  it('bad/xss_polyglot.gif renders as the 1×1 image it also is', async () => {
    const thumb = await makeThumbnail(fixture('bad/xss_polyglot.gif'));
    expect([thumb.width, thumb.height]).toEqual([1, 1]);
    expect((await readFile(fixture('bad/xss_polyglot.gif'))).includes('<script>')).toBe(true);
    expect(thumb.data.includes('<script>')).toBe(false);
  });
});

describe('isBlankImage (a PDF page pdf.js drew blank gets no thumbnail)', () => {
  it('is true for one flat colour and false for a drawn page', async () => {
    const { isBlankImage } = await import('./thumbnail.ts');
    const { default: sharpLib } = await import('sharp');
    const white = await sharpLib({ create: { width: 40, height: 60, channels: 3, background: '#fff' } }).png().toBuffer();
    const drawn = await sharpLib(white).composite([{ input: await sharpLib({ create: { width: 10, height: 10, channels: 3, background: '#000' } }).png().toBuffer(), top: 5, left: 5 }]).png().toBuffer();
    expect(await isBlankImage(white)).toBe(true);
    expect(await isBlankImage(drawn)).toBe(false);
  });
});
