// Words of the uploads page, shared by the page (no-JS answers) and its script. Pure.

export const ACCESS_OPTIONS = [
  { value: 'public', label: 'Everyone' },
  { value: 'signed-in', label: 'Signed-in readers' },
  { value: 'restricted', label: 'Staff only (restricted)' },
  { value: 'embargoed', label: 'Under embargo until a date' },
] as const;

const ACCEPTED = 'PDF, EPUB, audio (MP3, FLAC, OGG, WAV, M4A), video (MP4, WebM) or an image (JPEG, PNG, WebP, TIFF, GIF)';

function sizeText(n: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${u === 0 ? v : v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** A problem code of the upload route in plain words; `detail` only adds the size limit's number. */
export function refusalText(code: string, detail?: string | null, name?: string): string {
  const it = name ? `“${name}”` : 'The file';
  switch (code) {
    case 'unsupported-media-type':
      return `${it} is not a type the library keeps. Upload a ${ACCEPTED}. The type is read from the file’s content, not from its name.`;
    case 'file-too-large': {
      const limit = Number(/(\d{4,})/.exec(detail ?? '')?.[1]);
      return `${it} is too large${Number.isFinite(limit) && limit > 0 ? `: files can be at most ${sizeText(limit)}` : ''}.`;
    }
    case 'empty-file': return `${it} is empty (0 bytes).`;
    case 'validation-failed': return `${it} was not stored: ${detail ?? 'a field is missing or wrong'}. For an embargo, give the date it ends.`;
    case 'not-found': return 'The record was not found: it may have been deleted.';
    case 'record-required': return 'Choose the record the file belongs to first.';
    case 'forbidden': return 'Your account may not upload files: uploading is for librarians, supervisors and administrators.';
    case 'unauthenticated': return 'Your session has ended: sign in again, then upload the file again.';
    case 'csrf-token-invalid': return 'Your session changed: reload the page and upload the file again.';
    case 'bad-multipart': return `${it} could not be read: the upload was cut off or malformed. Try again.`;
    case 'network': return `${it} was not sent: the connection failed. Check the network and try again.`;
    default: return `${it} was not stored${detail ? `: ${detail}` : ''}. Try again in a moment.`;
  }
}

export const sizeLabel = sizeText;
