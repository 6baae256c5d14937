import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, isTextual, previewBody, problemOf } from './endpoint-reply';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('isTextual', () => {
  it.each([
    ['text/html; charset=utf-8', true],
    ['application/json', true],
    ['application/problem+json', true],
    ['image/svg+xml', true],
    ['application/x-www-form-urlencoded', true],
    ['image/png', false],
    ['application/octet-stream', false],
    [null, false],
  ])('%s → %s', (type, textual) => {
    expect(isTextual(type)).toBe(textual);
  });
});

describe('previewBody', () => {
  it('pretty-prints JSON', () => {
    expect(previewBody(bytes('{"a":1,"b":[true]}'), 'application/json')).toEqual({
      kind: 'text',
      text: '{\n  "a": 1,\n  "b": [\n    true\n  ]\n}',
      json: true,
      truncated: false,
    });
  });

  it('keeps text (HTML included) as text, never rendered', () => {
    const preview = previewBody(bytes('<h1>hi</h1>'), 'text/html');
    expect(preview).toMatchObject({ kind: 'text', text: '<h1>hi</h1>', json: false });
  });

  it('shows an untyped UTF-8 body as text, and says when it is empty', () => {
    expect(previewBody(bytes('plain words ✓'), null)).toMatchObject({ kind: 'text', text: 'plain words ✓' });
    expect(previewBody(new Uint8Array(), 'text/plain')).toEqual({ kind: 'empty' });
  });

  it('shows a binary body as its size, hex and base64', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
    const preview = previewBody(png, 'image/png');
    expect(preview).toEqual({
      kind: 'binary',
      bytes: 10,
      hex: '89 50 4e 47 0d 0a 1a 0a 00 ff',
      base64: bytesToBase64(png),
      truncated: false,
    });
    // Not UTF-8 and no type: binary too.
    expect(previewBody(new Uint8Array([0xff, 0xfe, 0x00]), null).kind).toBe('binary');
  });

  it('shows only the first 256 bytes of a long binary body in hex, 16 to a line', () => {
    const preview = previewBody(new Uint8Array(1000), 'application/octet-stream');
    expect(preview).toMatchObject({ kind: 'binary', bytes: 1000, truncated: true });
    if (preview.kind !== 'binary') throw new Error('not binary');
    expect(preview.hex.split('\n')).toHaveLength(16);
    expect(base64ToBytes(preview.base64)).toHaveLength(1000);
  });
});

describe('problemOf', () => {
  it('reads a problem+json answer, and nothing else', () => {
    const problem = {
      type: 'urn:squirrelbin:problem:endpoint-failed',
      title: 'Failed',
      status: 502,
      runStatus: 'error',
    };
    expect(
      problemOf({ headers: [['Content-Type', 'application/problem+json']], body: bytes(JSON.stringify(problem)) }),
    ).toEqual(problem);
    expect(problemOf({ headers: [['content-type', 'application/json']], body: bytes('{}') })).toBeNull();
    expect(problemOf({ headers: [['content-type', 'application/problem+json']], body: bytes('not json') })).toBeNull();
  });
});

describe('base64', () => {
  it('round-trips every byte value', () => {
    const all = new Uint8Array(256).map((_, index) => index);
    expect(base64ToBytes(bytesToBase64(all))).toEqual(all);
  });
});
