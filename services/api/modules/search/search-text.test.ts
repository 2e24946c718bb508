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
});
