// Test-only helpers: inputs built byte by byte (or with sharp) so the media tests never depend on
// the shared corpus alone, plus the location of that corpus. Not imported by production code.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';

// <repo>/../shared/fixtures, i.e. /work/shared/fixtures on the team machines; SHELFMARK_FIXTURES
// points elsewhere (or at nothing, to check that the corpus layer skips cleanly).
export const FIXTURES = resolve(import.meta.dirname, process.env.SHELFMARK_FIXTURES ?? '../../../../../shared/fixtures');
export const fixturesPresent = existsSync(FIXTURES);
export const fixture = (relative: string) => join(FIXTURES, relative);

export function warnIfNoFixtures(layer: string): void {
  if (!fixturesPresent) console.warn(`[${layer}] skipping the real-world corpus layer: ${FIXTURES} does not exist`);
}

export interface Scratch {
  dir: string;
  write(name: string, data: Uint8Array | string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function scratchDir(): Promise<Scratch> {
  const dir = await mkdtemp(join(tmpdir(), 'shelfmark-files-'));
  return {
    dir,
    async write(name, data) {
      const path = join(dir, name);
      await writeFile(path, data);
      return path;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};

/** 16-bit PCM RIFF/WAVE holding a 440 Hz tone. */
export function wavBytes({ sampleRate = 8000, channels = 1, seconds = 0.5 } = {}): Buffer {
  const frames = Math.round(sampleRate * seconds);
  const data = Buffer.alloc(frames * channels * 2);
  for (let i = 0; i < frames; i++) {
    const sample = Math.round(Math.sin((2 * Math.PI * 440 * i) / sampleRate) * 8000);
    for (let c = 0; c < channels; c++) data.writeInt16LE(sample, (i * channels + c) * 2);
  }
  const fmt = Buffer.concat([u16(1), u16(channels), u32(sampleRate), u32(sampleRate * channels * 2), u16(channels * 2), u16(16)]);
  const body = Buffer.concat([Buffer.from('WAVE'), Buffer.from('fmt '), u32(fmt.length), fmt, Buffer.from('data'), u32(data.length), data]);
  return Buffer.concat([Buffer.from('RIFF'), u32(body.length), body]);
}

const pdfString = (s: string) => `(${s.replace(/[\\()]/g, (c) => `\\${c}`)})`;

/**
 * A valid PDF with one Helvetica text line per page and a correct xref table. `encrypt` adds a
 * Standard security handler whose password hashes match nothing, so every reader must refuse it.
 */
export function minimalPdf(pages: string[], { encrypt = false } = {}): Buffer {
  const objects: string[] = [];
  const pageIds = pages.map((_, i) => 4 + i * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  pages.forEach((text, i) => {
    const content = `BT /F1 18 Tf 72 720 Td ${pdfString(text)} Tj ET`;
    objects[pageIds[i] as number] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${(pageIds[i] as number) + 1} 0 R >>`;
    objects[(pageIds[i] as number) + 1] = `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;
  });
  const encryptId = objects.length;
  if (encrypt) {
    objects[encryptId] = `<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 /O <${'ab'.repeat(32)}> /U <${'cd'.repeat(32)}> >>`;
  }
  let out = '%PDF-1.4\n%\xE2\xE3\xCF\xD3\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = Buffer.byteLength(out, 'latin1');
    out += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xrefAt = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) out += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  const fileId = `<${'0123456789abcdef'.repeat(2)}>`;
  const extra = encrypt ? ` /Encrypt ${encryptId} 0 R /ID [${fileId} ${fileId}]` : '';
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R${extra} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A ZIP with stored (uncompressed) entries, in the given order. */
export function storedZip(entries: Array<{ name: string; data: string | Buffer }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data, 'utf8');
    const crc = crc32(data);
    // version 2.0, no flags, method 0 (stored), DOS time 0, date 1980-01-01
    const common = Buffer.concat([u16(20), u16(0), u16(0), u16(0), u16(0x21), u32(crc), u32(data.length), u32(data.length), u16(name.length), u16(0)]);
    const local = Buffer.concat([u32(0x04034b50), common, name, data]);
    centrals.push(Buffer.concat([u32(0x02014b50), u16(20), common, u16(0), u16(0), u16(0), u32(0), u32(offset), name]));
    locals.push(local);
    offset += local.length;
  }
  const central = Buffer.concat(centrals);
  const end = Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(entries.length), u16(entries.length), u32(central.length), u32(offset), u16(0)]);
  return Buffer.concat([...locals, central, end]);
}

/** The smallest EPUB container file-type recognises: `mimetype` stored first. */
export function minimalEpub(): Buffer {
  return storedZip([
    { name: 'mimetype', data: 'application/epub+zip' },
    {
      name: 'META-INF/container.xml',
      data: '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
    },
  ]);
}

/** An ISO-BMFF `ftyp` box with the given major brand, followed by an empty `free` box. */
export function isoBmff(brand: string): Buffer {
  const be32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const ftyp = Buffer.concat([be32(24), Buffer.from('ftyp'), Buffer.from(brand.padEnd(4, ' ')), be32(0), Buffer.from('isommp42')]);
  return Buffer.concat([ftyp, be32(8), Buffer.from('free')]);
}

/** First Ogg page of an Opus stream (CRC left zero; sniffers do not check it). */
export function oggOpusHead(): Buffer {
  const head = Buffer.concat([Buffer.from('OpusHead'), Buffer.from([1, 2]), u16(312), u32(48000), u16(0), Buffer.from([0])]);
  const page = Buffer.concat([Buffer.from('OggS'), Buffer.from([0, 2]), Buffer.alloc(8), u32(1), u32(0), u32(0), Buffer.from([1, head.length])]);
  return Buffer.concat([page, head]);
}

/** A 32-bit little-endian ELF header (the start of a Linux executable). */
export function elfHeader(): Buffer {
  const b = Buffer.alloc(64);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]).copy(b);
  b.writeUInt16LE(2, 16); // ET_EXEC
  b.writeUInt16LE(3, 18); // EM_386
  b.writeUInt32LE(1, 20);
  return b;
}

/** A PNG whose header claims `width`×`height` pixels over a few bytes of data: a decompression-bomb stand-in. */
export function pngClaiming(width: number, height: number): Buffer {
  const be32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n >>> 0);
    return b;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    return Buffer.concat([be32(data.length), body, be32(crc32(body))]);
  };
  const ihdr = Buffer.concat([be32(width), be32(height), Buffer.from([8, 2, 0, 0, 0])]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
