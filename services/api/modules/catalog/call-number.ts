// Call numbers (seed 002): "Call Number - Local ID# used by our library and is unique to each book
// (and each copy of each book). This will be a 10 digit numeric field (we use the VSDS or Very Simple
// Decimal System)." and, on adding a book, "a call number suggestion should be made (probably the
// lowest available call number)".
//
// 0000000000 is reserved and never a valid call number: an all-zero value is what a blank numeric
// field, a failed parse or a default column tends to produce, so refusing it keeps such mistakes from
// looking like a real copy. Valid call numbers are therefore 0000000001..9999999999.

export const CALL_NUMBER_LENGTH = 10;
export const MIN_CALL_NUMBER = 1;
export const MAX_CALL_NUMBER = 9_999_999_999; // below 2^53, so plain numbers are exact

/** Exactly ten ASCII digits and not the reserved 0000000000. */
export function isValidCallNumber(s: string): boolean {
  return /^\d{10}$/.test(s) && s !== '0000000000';
}

/** Zero-pads an integer in 1..9999999999 to the ten-digit form. */
export function callNumberFromInt(n: number): string {
  if (!Number.isInteger(n) || n < MIN_CALL_NUMBER || n > MAX_CALL_NUMBER) {
    throw new RangeError(`A call number is an integer from ${MIN_CALL_NUMBER} to ${MAX_CALL_NUMBER}, not ${n}`);
  }
  return String(n).padStart(CALL_NUMBER_LENGTH, '0');
}

/**
 * The lowest valid call number not in `used`. Invalid strings in `used` are ignored (they cannot
 * collide with a suggestion). Throws when every call number is taken.
 * O(n) in the number of used values; the database layer may do the same with a gap query.
 */
export function lowestFreeCallNumber(used: Iterable<string>): string {
  const taken = new Set<number>();
  for (const s of used) if (isValidCallNumber(s)) taken.add(Number(s));
  // Among taken.size + 1 candidates starting at 1 at least one is free (pigeonhole), so this loop ends.
  let candidate = MIN_CALL_NUMBER;
  while (taken.has(candidate)) candidate++;
  if (candidate > MAX_CALL_NUMBER) throw new RangeError('Every 10-digit call number is in use');
  return callNumberFromInt(candidate);
}
