import { describe, expect, it } from 'vitest';
import {
  formatIsbn13,
  isbn10CheckDigit,
  isbn10To13,
  isbn13CheckDigit,
  isbn13To10,
  isValidIsbn10,
  isValidIsbn13,
  normalizeIsbn,
  parseIsbn,
} from './isbn.ts';

// Seed 002: "ISBN Number - Supplied by the publisher, it is of fixed length and format including a
// check digit." and "Checks should be made on the ISBN number to ensure that it is correct".
describe('parseIsbn accepts real ISBNs in either form and returns ISBN-13', () => {
  it.each([
    // input,                 isbn13,           isbn10
    ['0-306-40615-2', '9780306406157', '0306406152'],
    ['0306406152', '9780306406157', '0306406152'],
    ['978-0-306-40615-7', '9780306406157', '0306406152'],
    ['978 0 306 40615 7', '9780306406157', '0306406152'],
    ['0-8044-2957-X', '9780804429573', '080442957X'],
    ['0-8044-2957-x', '9780804429573', '080442957X'],
    ['9780262033848', '9780262033848', '0262033844'],
    ['0-262-03384-4', '9780262033848', '0262033844'],
    ['0-19-853453-1', '9780198534532', '0198534531'],
    ['978\u20110\u2011306\u201140615\u20117', '9780306406157', '0306406152'], // non-breaking hyphens pasted from a web page
    ['979-10-90636-07-1', '9791090636071', null], // 979: no ISBN-10 exists
    ['9798602405453', '9798602405453', null],
  ])('%s', (input, isbn13, isbn10) => {
    expect(parseIsbn(input)).toEqual({ ok: true, isbn13, isbn10 });
  });
});

describe('parseIsbn refuses bad ISBNs with a reason a librarian can act on', () => {
  it.each([
    ['978-0-306-40615-5', 'The check digit should be 7, not 5.'],
    ['0-306-40615-5', 'The check digit should be 2, not 5.'],
    ['1-85326-067-X', 'The check digit should be 3, not X.'],
    ['', 'The ISBN is empty.'],
    ['  - ', 'The ISBN is empty.'],
    ['12345', 'An ISBN has 10 or 13 digits; this one has 5.'],
    ['978030640615', 'An ISBN has 10 or 13 digits; this one has 12.'],
    ['97803064061570', 'An ISBN has 10 or 13 digits; this one has 14.'],
    ['03064O6152', 'An ISBN may contain only digits, hyphens and spaces (and X as the last character of an ISBN-10); "O" is not allowed.'],
    ['isbn0306406152', 'An ISBN may contain only digits, hyphens and spaces (and X as the last character of an ISBN-10); "i" is not allowed.'],
    ['03064061X2', 'Only the last character of an ISBN-10 may be X.'],
    ['978030640615X', 'An ISBN-13 contains digits only; X is allowed only in an ISBN-10.'],
    ['9770306406157', 'An ISBN-13 starts with 978 or 979, not 977.'],
  ])('%j', (input, reason) => {
    expect(parseIsbn(input)).toEqual({ ok: false, reason });
  });
});

describe('validators', () => {
  it.each([
    ['0306406152', true],
    ['0-8044-2957-X', true],
    ['0306406155', false],
    ['9780306406157', false], // a 13-digit string is not an ISBN-10
    ['X306406152', false],
  ])('isValidIsbn10(%s) = %s', (s, valid) => expect(isValidIsbn10(s)).toBe(valid));

  it.each([
    ['9780306406157', true],
    ['978-0-262-03384-8', true],
    ['9791090636071', true],
    ['9780306406155', false],
    ['9770306406157', false], // 977 is an ISSN EAN, not an ISBN, even with a valid EAN check digit
    ['0306406152', false],
  ])('isValidIsbn13(%s) = %s', (s, valid) => expect(isValidIsbn13(s)).toBe(valid));

  it('computes check characters, including X for 10', () => {
    expect(isbn10CheckDigit('030640615')).toBe('2');
    expect(isbn10CheckDigit('080442957')).toBe('X');
    expect(isbn13CheckDigit('978030640615')).toBe('7');
  });
});

describe('conversions', () => {
  it('ISBN-10 -> ISBN-13 adds 978 and recomputes the check digit', () => {
    expect(isbn10To13('0-306-40615-2')).toBe('9780306406157');
    expect(isbn10To13('080442957X')).toBe('9780804429573');
  });

  it('ISBN-13 -> ISBN-10 for 978, null for 979', () => {
    expect(isbn13To10('9780262033848')).toBe('0262033844');
    expect(isbn13To10('9780804429573')).toBe('080442957X');
    expect(isbn13To10('9791090636071')).toBeNull();
  });

  it('round-trips', () => {
    for (const isbn10 of ['0306406152', '080442957X', '0262033844', '0198534531']) {
      expect(isbn13To10(isbn10To13(isbn10))).toBe(isbn10);
    }
  });

  it('throws on invalid input rather than converting garbage', () => {
    expect(() => isbn10To13('0306406155')).toThrow(RangeError);
    expect(() => isbn13To10('9780306406155')).toThrow(RangeError);
    expect(() => formatIsbn13('123')).toThrow(RangeError);
  });

  it('normalizes and formats', () => {
    expect(normalizeIsbn(' 0-8044-2957-x ')).toBe('080442957X');
    expect(formatIsbn13('978-0-306-40615-7')).toBe('9780306406157');
  });
});
