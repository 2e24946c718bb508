import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
// music-metadata and sharp load on first use (a lighter API process; see bench/README.md on memory).
const loadMusicMetadata = () => import('music-metadata');
const loadSharp = async () => (await import('sharp')).default;
import type { IAudioMetadata, IOptions } from 'music-metadata';
import type { Metadata } from 'sharp';
import { DerivativeError, assertReadable, briefMessage } from './derivative-error.ts';
import { mediaKindOf } from './media-type.ts';

export interface MediaProbe {
  durationSeconds: number | null;
  /** Set when the duration was worked out from bitrate × size (MP3 without a Xing/VBRI header). */
  durationEstimated?: boolean;
  /** The video codec for video files, the audio codec otherwise. */
  codec?: string;
  /** For video files with a sound track. */
  audioCodec?: string;
  sampleRate?: number;
  channels?: number;
  /** Bits per second. */
  bitrate?: number;
  /** Video only, and only where the container says (WebM does; music-metadata reads no MP4 video sizes). */
  width?: number;
  height?: number;
  title?: string;
  artists?: string[];
  hasAudio?: boolean;
  hasVideo?: boolean;
}

export interface ImageProbe {
  /** As displayed, i.e. after EXIF orientation. */
  width: number;
  height: number;
  format: string;
  /** Frames of an animated GIF/WebP or pages of a TIFF, when more than one. */
  pages?: number;
}

// Matroska TrackType values, which music-metadata uses for every container (not exported by it).
const TRACK_VIDEO = 1;
const TRACK_AUDIO = 2;

// Extensions under which music-metadata's parseFile (which picks its parser by extension first)
// would choose the parser matching the sniffed type.
const EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  'audio/mpeg': ['.mp3'],
  'audio/flac': ['.flac'],
  'audio/ogg': ['.ogg', '.opus', '.oga', '.spx'],
  'audio/wav': ['.wav'],
  'audio/mp4': ['.m4a', '.m4b', '.mp4'],
  'video/mp4': ['.mp4', '.m4v'],
  'video/webm': ['.webm'],
};

const PROBE_TIMEOUT_MS = 30_000;

// Full-file scans (`duration: true`) cost ~1 s per MB for an MP3 without a Xing header; a header
// read is enough for everything else, and MP3s fall back to an estimate.
const PARSE_OPTIONS: IOptions = { duration: false, skipCovers: true, mkvUseIndex: true };

async function parse(filePath: string, mediaType: string): Promise<IAudioMetadata> {
  const ext = extname(filePath).toLowerCase();
  if (ext === '' || EXTENSIONS[mediaType]?.includes(ext)) return (await loadMusicMetadata()).parseFile(filePath, PARSE_OPTIONS);
  // A misleading extension (say a temp file named `.mp3` that holds Ogg) would pick the wrong
  // parser; a Blob carrying the sniffed type makes music-metadata go by that type instead.
  return (await loadMusicMetadata()).parseBlob(await openAsBlob(filePath, { type: mediaType }), PARSE_OPTIONS);
}

// music-metadata cannot be cancelled; the timeout frees the job, the parse finishes in the background.
function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DerivativeError(`${what} timed out after ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const positive = (n: number | undefined): number | undefined =>
  n !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;

// MP4 sample descriptions without a known encoder come back as `<avc1>`.
const cleanCodec = (name: string | undefined): string | undefined => name?.replace(/^<(.*)>$/, '$1').trim() || undefined;

export async function probeMedia(filePath: string, mediaType: string): Promise<MediaProbe> {
  const kind = mediaKindOf(mediaType);
  if (kind !== 'audio' && kind !== 'video') throw new RangeError(`probeMedia needs an audio or video type, got ${mediaType}`);
  await assertReadable(filePath);

  let meta: IAudioMetadata;
  try {
    meta = await withTimeout(parse(filePath, mediaType), PROBE_TIMEOUT_MS, 'Media probe');
  } catch (e) {
    if (e instanceof DerivativeError) throw e;
    throw new DerivativeError(`Media file could not be read: ${briefMessage(e)}`, { cause: e });
  }

  const { format, common } = meta;
  const tracks = format.trackInfo ?? [];
  // MP4 video tracks carry no type in music-metadata's output, only a codec name.
  const videoTrack = tracks.find((t) => t.type === TRACK_VIDEO || t.video !== undefined)
    ?? (kind === 'video' ? tracks.find((t) => t.type === undefined && t.audio === undefined && t.codecName) : undefined);
  const audioTrack = tracks.find((t) => t.type === TRACK_AUDIO || t.audio !== undefined);

  let durationSeconds = positive(format.duration) ?? null;
  let durationEstimated: boolean | undefined;
  if (durationSeconds === null && mediaType === 'audio/mpeg' && positive(format.bitrate)) {
    const { size } = await stat(filePath);
    durationSeconds = (size * 8) / (format.bitrate as number);
    durationEstimated = true;
  }

  const probe: MediaProbe = { durationSeconds };
  if (durationEstimated) probe.durationEstimated = true;
  // format.codec names the sound track's codec when there is one (MP4 and WebM alike).
  const videoCodec = cleanCodec(videoTrack?.codecName);
  const audioCodec = audioTrack || kind === 'audio' ? (cleanCodec(format.codec) ?? cleanCodec(audioTrack?.codecName)) : undefined;
  if (kind === 'video') {
    const codec = videoCodec ?? cleanCodec(format.codec);
    if (codec) probe.codec = codec;
    if (audioCodec) probe.audioCodec = audioCodec;
  } else if (audioCodec) {
    probe.codec = audioCodec;
  }
  const sampleRate = positive(format.sampleRate);
  if (sampleRate) probe.sampleRate = sampleRate;
  const channels = positive(format.numberOfChannels);
  if (channels) probe.channels = channels;
  const bitrate = positive(format.bitrate);
  if (bitrate) probe.bitrate = Math.round(bitrate);
  const width = positive(videoTrack?.video?.pixelWidth);
  const height = positive(videoTrack?.video?.pixelHeight);
  if (width && height) {
    probe.width = width;
    probe.height = height;
  }
  if (common.title) probe.title = common.title;
  const artists = common.artists ?? (common.artist ? [common.artist] : []);
  if (artists.length > 0) probe.artists = artists;
  if (format.hasAudio !== undefined) probe.hasAudio = format.hasAudio;
  if (format.hasVideo !== undefined) probe.hasVideo = format.hasVideo;
  return probe;
}

const PROBED_IMAGE_FORMATS = new Set(['jpeg', 'png', 'webp', 'tiff', 'gif']);

// Header-level only: a truncated image still probes; makeThumbnail is what decodes the pixels.
export async function probeImage(filePath: string): Promise<ImageProbe> {
  await assertReadable(filePath);
  let meta: Metadata;
  try {
    meta = await (await loadSharp())(filePath, { failOn: 'error' }).metadata();
  } catch (e) {
    throw new DerivativeError(`Not a readable image: ${briefMessage(e)}`, { cause: e });
  }
  if (!meta.format || !PROBED_IMAGE_FORMATS.has(meta.format)) {
    throw new DerivativeError(`Image format ${meta.format ?? 'unknown'} is not supported`);
  }
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) throw new DerivativeError('Image has no dimensions');
  const probe: ImageProbe = { width, height, format: meta.format };
  if (meta.pages && meta.pages > 1) probe.pages = meta.pages;
  return probe;
}
