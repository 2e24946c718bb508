import { readdirSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_MEDIA_TYPES, contentDispositionFor, isAllowedMediaType, normaliseDetectedType, sniffMediaType } from './media-type.ts';
import type { AllowedMediaType, SniffResult } from './media-type.ts';
import type { Scratch } from './test-inputs.ts';
import {
  elfHeader,
  fixture,
  fixturesPresent,
  isoBmff,
  minimalEpub,
  minimalPdf,
  oggOpusHead,
  scratchDir,
  storedZip,
  warnIfNoFixtures,
  wavBytes,
} from './test-inputs.ts';

const sniffed = (mediaType: AllowedMediaType, extension: string, kind: NonNullable<SniffResult>['kind']) => ({ mediaType, extension, kind });

describe('normaliseDetectedType', () => {
  it.each([
    [{ mime: 'audio/x-m4a', ext: 'm4a' }, sniffed('audio/mp4', 'm4a', 'audio')],
    [{ mime: 'audio/mp4', ext: 'm4b' }, sniffed('audio/mp4', 'm4b', 'audio')],
    [{ mime: 'audio/mp4', ext: 'f4a' }, sniffed('audio/mp4', 'm4a', 'audio')],
    [{ mime: 'video/x-m4v', ext: 'm4v' }, sniffed('video/mp4', 'm4v', 'video')],
    [{ mime: 'video/mp4', ext: 'f4v' }, sniffed('video/mp4', 'mp4', 'video')],
    [{ mime: 'audio/ogg; codecs=opus', ext: 'opus' }, sniffed('audio/ogg', 'opus', 'audio')],
    [{ mime: 'audio/opus', ext: 'opus' }, sniffed('audio/ogg', 'opus', 'audio')],
    [{ mime: 'audio/vnd.wave', ext: 'wav' }, sniffed('audio/wav', 'wav', 'audio')],
    [{ mime: 'audio/x-wav', ext: 'wav' }, sniffed('audio/wav', 'wav', 'audio')],
    [{ mime: 'image/apng', ext: 'apng' }, sniffed('image/png', 'png', 'image')],
    [{ mime: 'image/tiff', ext: 'tif' }, sniffed('image/tiff', 'tif', 'image')],
    [{ mime: 'application/epub+zip', ext: 'epub' }, sniffed('application/epub+zip', 'epub', 'epub')],
  ])('accepts %o', (detected, expected) => {
    expect(normaliseDetectedType(detected)).toEqual(expected);
  });

  it.each([
    'image/svg+xml',
    'application/xml',
    'text/html',
    'application/zip',
    'application/x-elf',
    'application/x-msdownload',
    'video/quicktime',
    'video/matroska',
    'video/ogg',
    'application/ogg',
    'image/heic',
    'image/avif',
    'image/bmp',
    'application/x-rar-compressed',
  ])('refuses %s', (mime) => {
    expect(normaliseDetectedType({ mime, ext: 'x' })).toBeNull();
  });

  it('refuses an undetected file', () => {
    expect(normaliseDetectedType(undefined)).toBeNull();
  });
});

describe('isAllowedMediaType / contentDispositionFor', () => {
  it('allows exactly the canonical list', () => {
    for (const mt of ALLOWED_MEDIA_TYPES) expect(isAllowedMediaType(mt)).toBe(true);
    for (const mt of ['audio/x-m4a', 'image/svg+xml', 'text/html', 'application/zip', 'IMAGE/PNG']) expect(isAllowedMediaType(mt)).toBe(false);
  });

  it.each([
    ['application/pdf', 'inline'],
    ['audio/mpeg', 'inline'],
    ['audio/mp4', 'inline'],
    ['video/webm', 'inline'],
    ['image/jpeg', 'inline'],
    ['image/gif', 'inline'],
    ['Image/PNG; charset=binary', 'inline'],
    ['application/epub+zip', 'attachment'],
    ['image/svg+xml', 'attachment'],
    ['text/html', 'attachment'],
    ['application/zip', 'attachment'],
    ['application/octet-stream', 'attachment'],
    ['', 'attachment'],
  ] as const)('%s → %s', (mt, expected) => {
    expect(contentDispositionFor(mt)).toBe(expected);
  });
});

describe('sniffMediaType on generated inputs', () => {
  let scratch: Scratch;
  beforeAll(async () => {
    scratch = await scratchDir();
  });
  afterAll(() => scratch.cleanup());

  const solid = (format: 'png' | 'jpeg' | 'webp' | 'tiff' | 'gif') =>
    sharp({ create: { width: 40, height: 30, channels: 3, background: '#3a6' } })
      .toFormat(format)
      .toBuffer();

  // Every input is written under a misleading name, so a pass proves the bytes decided.
  const cases: Array<[string, () => Promise<Buffer> | Buffer, SniffResult]> = [
    ['png', () => solid('png'), sniffed('image/png', 'png', 'image')],
    ['jpeg', () => solid('jpeg'), sniffed('image/jpeg', 'jpg', 'image')],
    ['webp', () => solid('webp'), sniffed('image/webp', 'webp', 'image')],
    ['tiff', () => solid('tiff'), sniffed('image/tiff', 'tif', 'image')],
    ['gif', () => solid('gif'), sniffed('image/gif', 'gif', 'image')],
    ['wav', () => wavBytes(), sniffed('audio/wav', 'wav', 'audio')],
    ['pdf', () => minimalPdf(['Hello Shelfmark']), sniffed('application/pdf', 'pdf', 'pdf')],
    ['epub', () => minimalEpub(), sniffed('application/epub+zip', 'epub', 'epub')],
    ['m4a ftyp', () => isoBmff('M4A '), sniffed('audio/mp4', 'm4a', 'audio')],
    ['m4v ftyp', () => isoBmff('M4V '), sniffed('video/mp4', 'm4v', 'video')],
    ['isom ftyp', () => isoBmff('isom'), sniffed('video/mp4', 'mp4', 'video')],
    ['quicktime ftyp', () => isoBmff('qt  '), null],
    ['ogg opus', () => oggOpusHead(), sniffed('audio/ogg', 'opus', 'audio')],
    ['html', () => Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>'), null],
    ['svg', () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'), null],
    ['svg with xml prolog', () => Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'), null],
    ['elf', () => elfHeader(), null],
    ['zip', () => storedZip([{ name: 'hello.txt', data: 'hello' }]), null],
    ['zip whose mimetype entry is not epub', () => storedZip([{ name: 'mimetype', data: 'text/html' }]), null],
    ['plain text', () => Buffer.from('Just some words.\n'), null],
    ['empty', () => Buffer.alloc(0), null],
  ];

  it.each(cases)('%s', async (label, make, expected) => {
    const path = await scratch.write(`${label.replace(/\W+/g, '-')}.pdf.png`, await make());
    expect(await sniffMediaType(path)).toEqual(expected);
  });

  it('rejects (rather than returning null) when the file does not exist', async () => {
    await expect(sniffMediaType(`${scratch.dir}/missing`)).rejects.toThrow(/ENOENT/);
  });
});

// Expected answer for every file in the corpus folders; a new fixture without an entry fails the
// test so that nobody adds one without deciding what it should sniff as.
const CORPUS: Record<string, SniffResult> = {
  'pdf/crazyones.pdf': sniffed('application/pdf', 'pdf', 'pdf'),
  'pdf/crazyones.expected.txt': null,
  'pdf/multilang.pdf': sniffed('application/pdf', 'pdf', 'pdf'),
  'pdf/Seige_of_Vicksburg_Sample_OCR.pdf': sniffed('application/pdf', 'pdf', 'pdf'),
  'pdf/libreoffice-writer-password.pdf': sniffed('application/pdf', 'pdf', 'pdf'),
  'pdf/issue-297.pdf': sniffed('application/pdf', 'pdf', 'pdf'),
  'pdf/zen_of_python_corrupted.pdf': sniffed('application/pdf', 'pdf', 'pdf'),
  'audio/testcase-3star.mp3': sniffed('audio/mpeg', 'mp3', 'audio'),
  'audio/flac-multiple-album-artists-tags.flac': sniffed('audio/flac', 'flac', 'audio'),
  'audio/audio.vorbis.ogg': sniffed('audio/ogg', 'ogg', 'audio'),
  'audio/fixture.wav': sniffed('audio/wav', 'wav', 'audio'),
  'video/fixture-imovie.mp4': sniffed('video/mp4', 'mp4', 'video'),
  'video/fixture.webm': sniffed('video/webm', 'webm', 'video'),
  'image/Landscape_6.jpg': sniffed('image/jpeg', 'jpg', 'image'),
  'image/tbgn2c16.png': sniffed('image/png', 'png', 'image'),
  'image/Flag_of_the_Netherlands.png': sniffed('image/png', 'png', 'image'),
  'image/8bit_depth.tiff': sniffed('image/tiff', 'tif', 'image'),
  'image/rotating-squares.webp': sniffed('image/webp', 'webp', 'image'),
  'image/animated-loop-3.gif': sniffed('image/gif', 'gif', 'image'),
  'bad/javascriptalert.svg': null, // file-type: application/xml
  'bad/billionlaughs.svg': null, // file-type: application/xml
  'bad/html.htm': null, // file-type: undefined
  'bad/only_js.html': null,
  'bad/pe32.exe': null, // file-type: application/x-msdownload
  'bad/elf.elf': null, // file-type: application/x-elf
  'bad/zbsm.zip': null, // file-type: application/zip, read from the headers without inflating
  'bad/zip-slip.zip': null,
  // Sniffing reads the header only; the derivative jobs find the damage / the payload.
  'bad/truncated.jpg': sniffed('image/jpeg', 'jpg', 'image'),
  'bad/truncated.png': sniffed('image/png', 'png', 'image'),
  'bad/xss_polyglot.gif': sniffed('image/gif', 'gif', 'image'),
  'bad/xss_pdf_alert.pdf': sniffed('application/pdf', 'pdf', 'pdf'),
};

warnIfNoFixtures('media-type');
describe.skipIf(!fixturesPresent)('sniffMediaType on the shared corpus', () => {
  const present = fixturesPresent
    ? ['pdf', 'audio', 'video', 'image', 'bad'].flatMap((dir) => readdirSync(fixture(dir)).map((name) => `${dir}/${name}`))
    : [];

  it('has an expectation for every corpus file', () => {
    expect(present.filter((f) => !(f in CORPUS))).toEqual([]);
  });

  it.each(present.filter((f) => f in CORPUS))('%s', async (file) => {
    expect(await sniffMediaType(fixture(file))).toEqual(CORPUS[file]);
  });
});
