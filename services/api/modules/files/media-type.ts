import { fileTypeFromFile } from 'file-type';

// Uploads are typed by their bytes, never by the client's file name or Content-Type: both are
// attacker-chosen, and a file served under the wrong type is how stored XSS happens.

export type MediaKind = 'pdf' | 'epub' | 'audio' | 'video' | 'image';

export const ALLOWED_MEDIA_TYPES = [
  'application/pdf',
  'application/epub+zip',
  'audio/mpeg',
  'audio/flac',
  'audio/ogg',
  'audio/wav',
  'audio/mp4',
  'video/mp4',
  'video/webm',
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/tiff',
  'image/gif',
] as const;

export type AllowedMediaType = (typeof ALLOWED_MEDIA_TYPES)[number];

export type SniffResult = { mediaType: AllowedMediaType; extension: string; kind: MediaKind } | null;

const KIND_OF: Readonly<Record<AllowedMediaType, MediaKind>> = {
  'application/pdf': 'pdf',
  'application/epub+zip': 'epub',
  'audio/mpeg': 'audio',
  'audio/flac': 'audio',
  'audio/ogg': 'audio',
  'audio/wav': 'audio',
  'audio/mp4': 'audio',
  'video/mp4': 'video',
  'video/webm': 'video',
  'image/jpeg': 'image',
  'image/png': 'image',
  'image/webp': 'image',
  'image/tiff': 'image',
  'image/gif': 'image',
};

// file-type's spellings (which vary by version and by container brand) mapped to the one type we
// store and serve. Anything missing here is refused.
const NORMALISED: Readonly<Record<string, AllowedMediaType>> = {
  'application/pdf': 'application/pdf',
  'application/epub+zip': 'application/epub+zip',
  'audio/mpeg': 'audio/mpeg',
  'audio/flac': 'audio/flac',
  'audio/x-flac': 'audio/flac',
  'audio/ogg': 'audio/ogg', // Vorbis, and also Ogg FLAC (.oga) and Speex (.spx)
  'audio/opus': 'audio/ogg',
  'audio/ogg; codecs=opus': 'audio/ogg', // what file-type 21 says for Opus
  'audio/wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/x-wav': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
  'audio/mp4': 'audio/mp4', // M4B audiobooks, F4A/F4B
  'audio/x-m4a': 'audio/mp4',
  'video/mp4': 'video/mp4', // any ISO-BMFF brand file-type does not single out, audio-only ones too
  'video/x-m4v': 'video/mp4',
  'video/webm': 'video/webm',
  'image/jpeg': 'image/jpeg',
  'image/png': 'image/png',
  // An APNG is a valid PNG (decoders that ignore the animation chunks show the default image),
  // and browsers serve both as image/png.
  'image/apng': 'image/png',
  'image/webp': 'image/webp',
  'image/tiff': 'image/tiff',
  'image/gif': 'image/gif',
};

const CANONICAL_EXTENSION: Readonly<Record<AllowedMediaType, string>> = {
  'application/pdf': 'pdf',
  'application/epub+zip': 'epub',
  'audio/mpeg': 'mp3',
  'audio/flac': 'flac',
  'audio/ogg': 'ogg',
  'audio/wav': 'wav',
  'audio/mp4': 'm4a',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/tiff': 'tif',
  'image/gif': 'gif',
};

// Extensions worth keeping because they tell a downloader something (an .m4b is an audiobook, an
// .opus needs an Opus decoder); file-type's other spellings (f4a, apng, ...) become the canonical one.
const KEPT_EXTENSIONS: Readonly<Partial<Record<AllowedMediaType, readonly string[]>>> = {
  'audio/ogg': ['ogg', 'opus', 'oga', 'spx'],
  'audio/mp4': ['m4a', 'm4b'],
  'video/mp4': ['mp4', 'm4v'],
};

const ALLOWED_SET: ReadonlySet<string> = new Set(ALLOWED_MEDIA_TYPES);

// Lower-cases and drops parameters, so `Image/PNG; charset=x` compares equal to `image/png`.
function essence(mediaType: string): string {
  return (mediaType.split(';')[0] ?? '').trim().toLowerCase();
}

export function isAllowedMediaType(mediaType: string): mediaType is AllowedMediaType {
  return ALLOWED_SET.has(mediaType);
}

export function mediaKindOf(mediaType: string): MediaKind | null {
  const mt = essence(mediaType);
  return isAllowedMediaType(mt) ? KIND_OF[mt] : null;
}

// Maps a file-type answer to our stored type. Exported so the mapping can be tested without files.
export function normaliseDetectedType(detected: { mime: string; ext: string } | undefined): SniffResult {
  if (!detected) return null;
  const mediaType = NORMALISED[detected.mime.toLowerCase()];
  if (!mediaType) return null;
  const kept = KEPT_EXTENSIONS[mediaType];
  const extension = kept?.includes(detected.ext) ? detected.ext : CANONICAL_EXTENSION[mediaType];
  return { mediaType, extension, kind: KIND_OF[mediaType] };
}

// Reads only the first few KB (ZIP-based types: the local headers up to the `mimetype` entry, with
// file-type's own size limits, so a zip bomb is not inflated here). Truncated or otherwise broken
// files of an allowed type pass; the derivative jobs are what notice the damage.
export async function sniffMediaType(filePath: string): Promise<SniffResult> {
  return normaliseDetectedType(await fileTypeFromFile(filePath));
}

// Inline only for types a browser renders as inert media; everything else (EPUB, and any type we
// did not sniff ourselves, e.g. HTML or SVG) downloads. The streaming route should still send
// `X-Content-Type-Options: nosniff` and a `Content-Security-Policy: sandbox` header: a sniffed GIF
// can carry a script after its image data, and a PDF can carry document JavaScript.
export function contentDispositionFor(mediaType: string): 'inline' | 'attachment' {
  const kind = mediaKindOf(mediaType);
  return kind === null || kind === 'epub' ? 'attachment' : 'inline';
}
