import { describe, expect, it } from 'vitest';
import { endOfLocalDay, isValidTimeZone, localDayNumber, startOfLocalDay } from './calendar.ts';

const day = (isoDate: string) => Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10))) / 86_400_000;

// Seed 003: "The due date is therefore a date 14 days after the borrow date" — due dates are local
// calendar dates, so the calendar must be exact in the library's zone, DST included.
describe('localDayNumber', () => {
  it.each([
    ['2024-01-01T00:00:00Z', 'UTC', '2024-01-01'],
    ['2024-01-01T23:59:59.999Z', 'UTC', '2024-01-01'],
    ['2024-01-01T15:59:59Z', 'Asia/Singapore', '2024-01-01'],
    ['2024-01-01T16:00:00Z', 'Asia/Singapore', '2024-01-02'],
    ['2024-03-10T04:59:59Z', 'America/Toronto', '2024-03-09'],
    ['2024-03-10T05:00:00Z', 'America/Toronto', '2024-03-10'],
    ['2024-07-01T03:59:59Z', 'America/Toronto', '2024-06-30'],
    ['2024-07-01T04:00:00Z', 'America/Toronto', '2024-07-01'],
  ])('%s in %s is %s', (instant, tz, date) => {
    expect(localDayNumber(new Date(instant), tz)).toBe(day(date));
  });
});

describe('startOfLocalDay / endOfLocalDay', () => {
  it.each([
    ['2024-01-01', 'UTC', '2024-01-01T00:00:00.000Z', '2024-01-01T23:59:59.999Z'],
    ['2024-01-01', 'Asia/Singapore', '2023-12-31T16:00:00.000Z', '2024-01-01T15:59:59.999Z'],
    // Spring forward (23-hour day) and fall back (25-hour day).
    ['2024-03-10', 'America/Toronto', '2024-03-10T05:00:00.000Z', '2024-03-11T03:59:59.999Z'],
    ['2024-11-03', 'America/Toronto', '2024-11-03T04:00:00.000Z', '2024-11-04T04:59:59.999Z'],
    // Brazil 2018: DST began at midnight, so 00:00 did not exist; the day began at 01:00 -02.
    ['2018-11-04', 'America/Sao_Paulo', '2018-11-04T03:00:00.000Z', '2018-11-05T01:59:59.999Z'],
    ['2024-06-15', 'Pacific/Kiritimati', '2024-06-14T10:00:00.000Z', '2024-06-15T09:59:59.999Z'],
    ['2024-06-15', 'Pacific/Pago_Pago', '2024-06-15T11:00:00.000Z', '2024-06-16T10:59:59.999Z'],
  ])('%s in %s', (date, tz, start, end) => {
    expect(startOfLocalDay(day(date), tz).toISOString()).toBe(start);
    expect(endOfLocalDay(day(date), tz).toISOString()).toBe(end);
  });
});

describe('isValidTimeZone', () => {
  it.each([
    ['UTC', true],
    ['America/Toronto', true],
    ['Asia/Singapore', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
  ])('%j -> %s', (tz, valid) => expect(isValidTimeZone(tz)).toBe(valid));
});
