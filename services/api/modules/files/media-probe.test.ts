import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DerivativeError } from './derivative-error.ts';
import { probeImage, probeMedia } from './media-probe.ts';
import type { Scratch } from './test-inputs.ts';
import { fixture, fixturesPresent, minimalPdf, scratchDir, warnIfNoFixtures, wavBytes } from './test-inputs.ts';

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(() => scratch.cleanup());

describe('probeMedia on generated inputs', () => {
  it('reads a byte-built WAV', async () => {
    const path = await scratch.write('tone', wavBytes({ sampleRate: 8000, channels: 1, seconds: 0.5 }));
    expect(await probeMedia(path, 'audio/wav')).toEqual({
      durationSeconds: 0.5,
      codec: 'PCM',
      sampleRate: 8000,
      channels: 1,
      bitrate: 128_000,
      hasAudio: true,
      hasVideo: false,
    });
  });

  it('goes by the sniffed type, not a misleading extension', async () => {
    const path = await scratch.write('really-a-wav.mp3', wavBytes({ sampleRate: 22050, channels: 2, seconds: 1 }));
    const probe = await probeMedia(path, 'audio/wav');
    expect(probe.durationSeconds).toBeCloseTo(1, 3);
    expect(probe.channels).toBe(2);
  });

  it('throws DerivativeError on bytes that are not media', async () => {
    const path = await scratch.write('noise', Buffer.from('this is not audio at all, just text'));
    await expect(probeMedia(path, 'audio/mpeg')).rejects.toThrow(DerivativeError);
    const pdf = await scratch.write('doc.webm', minimalPdf(['hi']));
    await expect(probeMedia(pdf, 'video/webm')).rejects.toThrow(/^Media file could not be read: /);
  });

  it('refuses non audio/video types as a caller error', async () => {
    await expect(probeMedia('/nonexistent', 'image/png')).rejects.toThrow(RangeError);
    await expect(probeMedia('/nonexistent', 'text/html')).rejects.toThrow(RangeError);
  });

  it('reports a missing file as a plain fs error', async () => {
    const err = await probeMedia(`${scratch.dir}/missing.wav`, 'audio/wav').catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(DerivativeError);
    expect(String(err)).toMatch(/ENOENT/);
  });
});

describe('probeImage on generated inputs', () => {
  it('reports displayed dimensions (after EXIF orientation)', async () => {
    const jpeg = await sharp({ create: { width: 60, height: 40, channels: 3, background: 'red' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const path = await scratch.write('rot', jpeg);
    expect(await probeImage(path)).toEqual({ width: 40, height: 60, format: 'jpeg' });
  });

  it('counts frames of an animation', async () => {
    const frames = await Promise.all(['red', 'blue'].map((c) => sharp({ create: { width: 20, height: 10, channels: 3, background: c } }).png().toBuffer()));
    const path = await scratch.write('anim', await sharp(frames, { join: { animated: true } }).webp().toBuffer());
    expect(await probeImage(path)).toEqual({ width: 20, height: 10, format: 'webp', pages: 2 });
  });

  it('refuses SVG and non-images', async () => {
    const svg = await scratch.write('s', '<svg xmlns="http://www.w3.org/2000/svg" width="5" height="5"/>');
    await expect(probeImage(svg)).rejects.toThrow(/Image format svg is not supported/);
    const text = await scratch.write('t', 'hello');
    await expect(probeImage(text)).rejects.toThrow(/^Not a readable image: /);
  });
});

warnIfNoFixtures('media-probe');
describe.skipIf(!fixturesPresent)('probeMedia on the shared corpus', () => {
  it.each([
    ['audio/testcase-3star.mp3', 'audio/mpeg', 1.0],
    ['audio/flac-multiple-album-artists-tags.flac', 'audio/flac', 1.0],
    ['audio/audio.vorbis.ogg', 'audio/ogg', 2.9],
    ['audio/fixture.wav', 'audio/wav', 1.23],
  ])('%s lasts about %s s', async (file, mediaType, seconds) => {
    const probe = await probeMedia(fixture(file), mediaType as string);
    expect(probe.durationSeconds).not.toBeNull();
    expect(Math.abs((probe.durationSeconds as number) - (seconds as number))).toBeLessThanOrEqual(0.1);
    expect(probe.durationEstimated).toBeUndefined();
    expect(probe.sampleRate).toBeGreaterThan(0);
    expect(probe.channels).toBeGreaterThan(0);
    expect(probe.hasVideo).toBe(false);
  });

  it('reads tags: title and multi-valued artists', async () => {
    expect(await probeMedia(fixture('audio/flac-multiple-album-artists-tags.flac'), 'audio/flac')).toMatchObject({
      codec: 'FLAC',
      title: 'Test Track',
      artists: ['Artist One', 'Artist Two'],
    });
    expect(await probeMedia(fixture('audio/testcase-3star.mp3'), 'audio/mpeg')).toMatchObject({
      codec: 'MPEG 1 Layer 3',
      title: 'Testcase',
      artists: ['Testcase'],
    });
  });

  it('video/fixture.webm: duration, VP8 640×356 with a Vorbis sound track', async () => {
    const probe = await probeMedia(fixture('video/fixture.webm'), 'video/webm');
    expect(probe.durationSeconds).toBeGreaterThan(0);
    expect(probe.durationSeconds).toBeLessThan(1);
    expect(probe).toMatchObject({ codec: 'VP8', audioCodec: 'VORBIS', width: 640, height: 356, hasVideo: true, hasAudio: true });
  });

  it('video/fixture-imovie.mp4: duration and codecs (music-metadata gives no MP4 frame size)', async () => {
    const probe = await probeMedia(fixture('video/fixture-imovie.mp4'), 'video/mp4');
    expect(probe.durationSeconds).toBeGreaterThan(0);
    expect(probe.durationSeconds).toBeLessThan(1);
    expect(probe).toMatchObject({ codec: 'avc1', audioCodec: 'MPEG-4/AAC', hasVideo: true, hasAudio: true });
    expect(probe.width).toBeUndefined();
  });

  it('estimates the duration of an MP3 without a Xing header from its bitrate', async () => {
    // Strip the ID3v2 tag, the Xing/LAME frame and the ID3v1 tag, then repeat the audio frames.
    const mp3 = await readFile(fixture('audio/testcase-3star.mp3'));
    const id3Size = ((mp3[6] ?? 0) << 21) | ((mp3[7] ?? 0) << 14) | ((mp3[8] ?? 0) << 7) | (mp3[9] ?? 0);
    const xingFrameLength = 417; // MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding
    const frames = mp3.subarray(10 + id3Size + xingFrameLength, mp3.length - 128);
    const path = await scratch.write('untagged', Buffer.concat(Array.from({ length: 20 }, () => frames)));
    const probe = await probeMedia(path, 'audio/mpeg');
    expect(probe.durationEstimated).toBe(true);
    expect(probe.durationSeconds).toBeGreaterThan(10);
    expect(probe.durationSeconds).toBeLessThan(40);
  });

  it('a truncated MP4 throws DerivativeError', async () => {
    const mp4 = await readFile(fixture('video/fixture-imovie.mp4'));
    const path = await scratch.write('cut.mp4', mp4.subarray(0, 5000));
    await expect(probeMedia(path, 'video/mp4')).rejects.toThrow(DerivativeError);
  });
});

describe.skipIf(!fixturesPresent)('probeImage on the shared corpus', () => {
  it.each([
    ['image/Landscape_6.jpg', { width: 600, height: 450, format: 'jpeg' }],
    ['image/tbgn2c16.png', { width: 32, height: 32, format: 'png' }],
    ['image/Flag_of_the_Netherlands.png', { width: 900, height: 600, format: 'png' }],
    ['image/8bit_depth.tiff', { width: 21, height: 21, format: 'tiff' }],
    ['image/rotating-squares.webp', { width: 80, height: 80, format: 'webp', pages: 9 }],
    ['image/animated-loop-3.gif', { width: 370, height: 285, format: 'gif', pages: 10 }],
    // Header-level: truncation is found by makeThumbnail, not here.
    ['bad/truncated.jpg', { width: 600, height: 450, format: 'jpeg' }],
  ])('%s', async (file, expected) => {
    expect(await probeImage(fixture(file))).toEqual(expected);
  });

  it.each(['bad/javascriptalert.svg', 'pdf/crazyones.pdf', 'audio/fixture.wav'])('%s throws DerivativeError', async (file) => {
    await expect(probeImage(fixture(file))).rejects.toThrow(DerivativeError);
  });
});
