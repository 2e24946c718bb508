// Seed 003: "membership id (a unique alphanumeric id that distinguishes every member e.g., A101A,
// A901I, etc.)" and "The membership id is assigned when a membership is created." The number comes
// from a database sequence (never reused); the trailing letter is a check character so a mistyped
// id at the desk is caught instead of finding another member.

const CHECK_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXZ'; // 23 letters: no I, O or Y, which read like 1, 0 and V
const WEIGHTS = [7, 6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4];

function checkLetter(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[digits.length - 1 - i]) * WEIGHTS[i % WEIGHTS.length]!;
  return CHECK_LETTERS[sum % CHECK_LETTERS.length]!;
}

/** `M000042` + check letter for sequence number 42; six digits at least, more when the sequence grows. */
export function membershipIdFor(sequenceNumber: number): string {
  if (!Number.isSafeInteger(sequenceNumber) || sequenceNumber < 1) throw new RangeError(`Not a membership sequence number: ${sequenceNumber}`);
  const digits = String(sequenceNumber).padStart(6, '0');
  return `M${digits}${checkLetter(digits)}`;
}

/** Whether `id` is well formed and its check letter matches (case-insensitive). */
export function isValidMembershipId(id: string): boolean {
  const m = /^M(\d{6,15})([A-Z])$/.exec(id.trim().toUpperCase());
  return m !== null && checkLetter(m[1]!) === m[2];
}
