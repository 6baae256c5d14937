import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderWithQueries } from '../../../testing/render';
import { ModulesReference } from './modules-reference';

describe('ModulesReference', () => {
  it('lists the modules from GET /api/modules (without the key), with how to import and the limits', async () => {
    localStorage.setItem('squirrelbin.identity', JSON.stringify({ key: 'sqb_secret', id: 'me' }));
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) =>
      jsonResponse(200, {
        items: [
          { name: 'zod', version: '4.1.12', description: 'Schemas', license: 'MIT', bytes: 61_440 },
          { name: 'ms', version: '2.1.3', description: 'Milliseconds', license: 'MIT', bytes: 900 },
        ],
      }),
    );
    vi.stubGlobal('fetch', fetch);
    renderWithQueries(<ModulesReference />);
    const rows = await screen.findAllByTestId('module-row');
    expect(rows.map((row) => row.textContent)).toEqual(['zod4.1.12SchemasMIT60 KiB', 'ms2.1.3MillisecondsMIT900 B']);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/modules');
    expect(new Headers(init!.headers).has('authorization')).toBe(false);
    const text = screen.getByTestId('modules-reference').textContent!;
    expect(text).toContain('acorn:{id}@{version}');
    expect(text).toContain('at most 8 deep');
    expect(text).toContain('512 KiB');
    expect(text).toContain('Nothing is fetched at run time');
    expect(text).toContain('dayjs/plugin/utc');
  });
});
