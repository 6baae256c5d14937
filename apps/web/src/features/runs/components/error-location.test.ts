import { describe, expect, it } from 'vitest';
import { errorLocationText, parseAcornSource } from './error-location';

describe('error locations', () => {
  it('reads an imported acorn from the error’s source', () => {
    expect(parseAcornSource('acorn:Ab3dE@2')).toEqual({ id: 'Ab3dE', version: 2 });
    expect(parseAcornSource('acorn:Ab3dE')).toEqual({ id: 'Ab3dE' });
    expect(parseAcornSource('zod')).toBeNull();
    expect(parseAcornSource('acorn:')).toBeNull();
  });

  it('says where as text', () => {
    const error = { name: 'Error', message: 'x', stack: '' };
    expect(errorLocationText(error)).toBe('');
    expect(errorLocationText({ ...error, line: 3 })).toBe('line 3');
    expect(errorLocationText({ ...error, line: 3, column: 5 })).toBe('line 3:5');
    expect(errorLocationText({ ...error, line: 3, column: 5, source: 'acorn:Ab3dE@2' })).toBe(
      'in acorn:Ab3dE@2, line 3:5',
    );
    expect(errorLocationText({ ...error, source: 'acorn:Ab3dE@2' })).toBe('in acorn:Ab3dE@2');
  });
});
