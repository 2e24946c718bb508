// What one answer of GET /api/v1/files/:id/content counts as (docs/analytics.md, "Requests").
// COUNTER R5 counts a Total_Item_Request when the content of an item is delivered; players and
// pdf.js fetch one file in many ranged requests, so only the start of a delivery counts:
//
// - 200 with the whole body: a download (the content was delivered in full, saved or shown inline);
// - 206 starting at byte 0: a stream start (a media element or viewer beginning at the start);
// - 206 starting later: a continuation (seek, buffering, the next chunk), counted as a stream start
//   only when it is the first request for that file in the session (a player resuming mid-file);
// - HEAD, 304 Not Modified, 416 and errors: nothing was delivered, nothing is counted.
//
// Double-click filtering (30 s, same session, item and metric) then folds repeated starts, e.g.
// Safari's `Range: bytes=0-1` probe followed by `bytes=0-`.

export type FileRequestKind = 'download' | 'stream' | 'continuation' | null;

export function fileRequestKind(method: string, status: number, contentRange: string | undefined): FileRequestKind {
  if (method.toUpperCase() !== 'GET') return null;
  if (status === 200) return 'download';
  if (status !== 206) return null;
  const m = /^bytes (\d+)-\d+\/\d+$/.exec(contentRange ?? '');
  if (!m) return null;
  return Number(m[1]) === 0 ? 'stream' : 'continuation';
}
