import { describe, expect, it } from 'vitest';
import { allowedEdits, editDistance, fold, isbnTerm, parseQueryText, sortKey, words } from './search-text.ts';

describe('words (the analyser both engines share)', () => {
  it('keeps whole runs of letters and digits, so "man" is never a piece of "batman" (seed 003)', () => {
    expect(words('Batman: Year One')).toEqual(['batman', 'year', 'one']);
    expect(words('The Man Who Mistook His Wife')).toContain('man');
    expect(words('Batman')).not.toContain('man');
  });

  it('folds case and accents, splits on punctuation, and skips runs too long to be words', () => {
    expect(words("Café Ørsted's well-known STRASSE Straße")).toEqual(['cafe', 'orsted', 's', 'well', 'known', 'strasse', 'strasse']);
    expect(words('Ελληνικά и русский 日本語')).toEqual(['ελληνικα', 'и', 'русскии', '日本語']);
    expect(words(`x ${'a'.repeat(61)} y`)).toEqual(['x', 'y']);
    expect(words(null)).toEqual([]);
    expect(fold('ÅNGSTRÖM')).toBe('angstrom');
  });

  it('sorts titles by their folded words', () => {
    expect(sortKey('  Über  Alles! ')).toBe('uber alles');
  });
});

describe('parseQueryText', () => {
  it('splits terms, keeps quoted phrases, and normalises ISBNs to ISBN-13', () => {
    expect(parseQueryText('History  of "the siege" 0-201-61622-X')).toEqual({ terms: ['history', 'of', '9780201616224'], phrases: [['the', 'siege']] });
    expect(parseQueryText('"one"')).toEqual({ terms: ['one'], phrases: [] });
    expect(parseQueryText('   ')).toBeNull();
    expect(parseQueryText('!!!')).toBeNull();
    expect(parseQueryText('a b c d e f g h i j k l m n o p')!.terms).toHaveLength(12);
  });

  it('reads an ISBN-10 or ISBN-13 with or without hyphens, and nothing else', () => {
    expect(isbnTerm('0-201-61622-X')).toBe('9780201616224');
    expect(isbnTerm('020161622x')).toBe('9780201616224');
    expect(isbnTerm('978-0-201-61622-4')).toBe('9780201616224');
    expect(isbnTerm('0-201-61622-5')).toBeNull(); // wrong check digit
    expect(isbnTerm('1999')).toBeNull();
  });
});

describe('editDistance', () => {
  it('counts a transposition as one edit ("histroy" -> "history")', () => {
    expect(editDistance('histroy', 'history')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('short', 'muchlongerword', 2)).toBe(3);
    expect([allowedEdits('ab'), allowedEdits('rome'), allowedEdits('history')]).toEqual([0, 1, 2]);
  });

  it('agrees with the full table whatever the lengths, one call after another (its rows are reused)', () => {
    const full = (a: string, b: string): number => {
      const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
      for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
          d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
        }
      }
      return d[a.length]![b.length]!;
    };
    const ws = ['', 'a', 'ab', 'ba', 'karel', 'karen', 'kaurel', 'karl', 'history', 'histroy', 'hsitory', 'a much longer word than the others', 'acb'];
    for (const a of ws) for (const b of ws) expect(editDistance(a, b), `${a} / ${b}`).toBe(full(a, b));
    expect(editDistance('karel', 'kaurel', 1)).toBe(1);
    expect(editDistance('karel', 'xyzel', 1)).toBe(2); // stops once every way is over the bound
  });
});
