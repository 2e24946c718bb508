// COUNTER R5 §7.2 double-click filtering, as a pure reference for the SQL in usage-aggregator.ts
// (the integration tests check that both agree). "Two actions ... for the same URL within 30 seconds:
// the first request MUST be removed and the second retained", repeatedly along a chain of clicks. So
// every maximal run of same-key events whose neighbours are at most 30 s apart counts once, which is
// the same as counting each event that has no earlier same-key event within 30 s before it. The key
// is session + item + metric; 10:01:00 and 10:01:29 are one action, 10:01:00 and 10:01:35 two.

export const DOUBLE_CLICK_WINDOW_MS = 30_000;

export interface ClickEvent { key: string; at: number }

export function countAfterDoubleClickFilter(events: readonly ClickEvent[]): number {
  const last = new Map<string, number>();
  let count = 0;
  for (const e of [...events].sort((a, b) => a.at - b.at)) {
    const previous = last.get(e.key);
    if (previous === undefined || e.at - previous > DOUBLE_CLICK_WINDOW_MS) count++;
    last.set(e.key, e.at);
  }
  return count;
}
