import { describe, expect, it } from 'vitest';
import { endpointUrl, parseHeaderLines, pathBelowEndpoint, resolveEndpointPath } from './endpoint-request';

const base = endpointUrl('http://localhost:8787', 'AbCdEfGhIjKlMnOp1234');

describe('resolveEndpointPath', () => {
  it.each([
    ['', 'http://localhost:8787/x/AbCdEfGhIjKlMnOp1234'],
    ['/', 'http://localhost:8787/x/AbCdEfGhIjKlMnOp1234'],
    ['/users/7?x=1', 'http://localhost:8787/x/AbCdEfGhIjKlMnOp1234/users/7?x=1'],
    ['users/7', 'http://localhost:8787/x/AbCdEfGhIjKlMnOp1234/users/7'],
    ['?name=ada', 'http://localhost:8787/x/AbCdEfGhIjKlMnOp1234?name=ada'],
    ['/a/../b', 'http://localhost:8787/x/AbCdEfGhIjKlMnOp1234/b'],
  ])('%j → %s', (typed, url) => {
    expect(resolveEndpointPath(base, typed)).toEqual({ ok: true, value: url });
  });

  it('refuses a path that climbs out of the endpoint, and spaces', () => {
    expect(resolveEndpointPath(base, '/../../api/acorns')).toMatchObject({ ok: false });
    expect(resolveEndpointPath(base, '/..')).toMatchObject({ ok: false });
    expect(resolveEndpointPath(base, '/a b')).toMatchObject({ ok: false, message: expect.stringContaining('%20') });
  });

  it('drops a fragment: it never reaches a server', () => {
    expect(resolveEndpointPath(base, '/page#top')).toEqual({ ok: true, value: `${base}/page` });
  });

  it('uses /x/new for an acorn without an id yet', () => {
    expect(endpointUrl('https://squirrelbin.example', undefined)).toBe('https://squirrelbin.example/x/new');
  });
});

describe('parseHeaderLines', () => {
  it('reads “Name: value” lines, skipping blank ones and keeping colons in values', () => {
    expect(parseHeaderLines('Content-Type: application/json\n\n  X-Trace:  a:b:c  \r\nAccept:')).toEqual({
      ok: true,
      value: [
        ['Content-Type', 'application/json'],
        ['X-Trace', 'a:b:c'],
        ['Accept', ''],
      ],
    });
  });

  it('names the line that is not a header', () => {
    expect(parseHeaderLines('Accept: */*\nno colon here')).toEqual({
      ok: false,
      message: 'Header line 2 is not “Name: value”.',
    });
    expect(parseHeaderLines(': value')).toMatchObject({ ok: false });
    expect(parseHeaderLines('Bad Name: value')).toMatchObject({ ok: false });
  });
});

describe('pathBelowEndpoint', () => {
  it('gives the path and query the way invocations record them', () => {
    expect(pathBelowEndpoint(`${base}/users/7?x=1&y=2`)).toEqual({ path: '/users/7', query: 'x=1&y=2' });
    expect(pathBelowEndpoint(base)).toEqual({ path: '/', query: '' });
  });
});
