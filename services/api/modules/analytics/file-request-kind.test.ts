import { describe, expect, it } from 'vitest';
import { fileRequestKind } from './file-request-kind.ts';

describe('fileRequestKind', () => {
  it('a full 200 GET is a download', () => {
    expect(fileRequestKind('GET', 200, undefined)).toBe('download');
  });
  it('a 206 from byte 0 is a stream start; a later range is a continuation', () => {
    expect(fileRequestKind('GET', 206, 'bytes 0-1/5000')).toBe('stream');
    expect(fileRequestKind('GET', 206, 'bytes 0-4999/5000')).toBe('stream');
    expect(fileRequestKind('GET', 206, 'bytes 65536-131071/5000000')).toBe('continuation');
  });
  it('HEAD, 304, 416 and errors count nothing', () => {
    expect(fileRequestKind('HEAD', 200, undefined)).toBeNull();
    expect(fileRequestKind('GET', 304, undefined)).toBeNull();
    expect(fileRequestKind('GET', 416, 'bytes */5000')).toBeNull();
    expect(fileRequestKind('GET', 403, undefined)).toBeNull();
    expect(fileRequestKind('GET', 206, 'garbage')).toBeNull();
  });
});
