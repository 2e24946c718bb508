import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from './csv.ts';

describe('RFC 4180 CSV', () => {
  it('quotes fields with commas, quotes and line breaks, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('Tan, Jia Yu')).toBe('"Tan, Jia Yu"');
    expect(csvField('The "Batman" book')).toBe('"The ""Batman"" book"');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('one\nline')).toBe('"one\nline"');
  });
  it('writes numbers and booleans as they are, nulls as empty fields, arrays joined', () => {
    expect(csvField(-500)).toBe('-500');
    expect(csvField(false)).toBe('false');
    expect(csvField(null)).toBe('');
    expect(csvField(['Lim, Joan', 'Li, Simon'])).toBe('"Lim, Joan; Li, Simon"');
  });
  it('defuses spreadsheet formulas in text', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+1 555')).toBe("'+1 555");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });
  it('ends every line with CRLF, keeps UTF-8 and adds a BOM only when asked', () => {
    const cols = [{ header: 'title', value: (r: { t: string }) => r.t }, { header: 'n', value: () => 1 }];
    expect(toCsv(cols, [{ t: 'Café' }, { t: 'Ünïcode, "q"' }])).toBe('title,n\r\nCafé,1\r\n"Ünïcode, ""q""",1\r\n');
    expect(toCsv(cols, [], { bom: true })).toBe('\uFEFFtitle,n\r\n');
  });
});
