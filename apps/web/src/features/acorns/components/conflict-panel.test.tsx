import type { Acorn } from '@squirrelbin/schemas';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderWithQueries } from '../../../testing/render';
import { useAcornDraft } from '../hooks/use-acorn-draft';
import { ConflictPanel } from './conflict-panel';

const stored: Acorn = {
  id: 'acorn-0123456789abcdef',
  title: 'Shared',
  description: '',
  language: 'javascript',
  visibility: 'public',
  endpoint: false,
  version: 1,
  ownerId: 'owner-1',
  forkOf: null,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  code: "'original'",
};
const theirs: Acorn = { ...stored, version: 2, code: "'saved elsewhere'", title: 'Renamed elsewhere' };

/** The editor's save flow with a plain textarea in place of CodeMirror. */
function Editor({ acorn }: { acorn: Acorn }) {
  const draft = useAcornDraft({ acorn });
  return (
    <>
      <label htmlFor="code">Code</label>
      <textarea id="code" value={draft.draft.code} onChange={(event) => draft.setField('code', event.target.value)} />
      <button type="button" onClick={() => void draft.save()}>
        Save
      </button>
      <output data-testid="title">{draft.draft.title}</output>
      <output data-testid="state">
        {draft.saveState} v{draft.base?.version}
      </output>
      {draft.conflict ? (
        <ConflictPanel
          conflict={draft.conflict}
          mine={draft.draft}
          changed={draft.changed}
          baseVersion={draft.base?.version}
          onOverwrite={() => void draft.overwrite()}
          onTakeTheirs={draft.takeTheirs}
          onDismiss={draft.dismissConflict}
        />
      ) : null}
    </>
  );
}

/** A fake API: version 2 is stored; a PATCH naming version 2 succeeds as version 3. */
function fakeApi() {
  const calls: { method: string; url: string; ifMatch: string | null; body: unknown }[] = [];
  const fetch = vi.fn(async (url: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    const method = init.method ?? 'GET';
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ method, url, ifMatch: headers.get('If-Match'), body });
    if (method === 'GET') return jsonResponse(200, theirs, { ETag: '"2"' });
    if (headers.get('If-Match') !== '"2"') {
      return jsonResponse(412, {
        type: 'urn:squirrelbin:problem:version-mismatch',
        title: 'The acorn changed since you read it',
        status: 412,
        detail: 'You edited version 1; the acorn is at 2',
        requestId: 'req-1',
        currentVersion: 2,
      });
    }
    return jsonResponse(200, { ...theirs, ...body, version: 3 }, { ETag: '"3"' });
  });
  vi.stubGlobal('fetch', fetch);
  return calls;
}

async function typeAndHitConflict() {
  renderWithQueries(<Editor acorn={stored} />);
  const code = screen.getByLabelText('Code') as HTMLTextAreaElement;
  fireEvent.change(code, { target: { value: "'typed here'" } });
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  await screen.findByTestId('conflict-theirs');
  return code;
}

describe('saving over a newer version', () => {
  it('shows both versions and keeps what was typed', async () => {
    const calls = fakeApi();
    const code = await typeAndHitConflict();
    expect(screen.getByTestId('conflict-panel').textContent).toContain('You edited version 1, but version 2');
    expect(screen.getByTestId('conflict-mine').textContent).toContain("'typed here'");
    expect(screen.getByTestId('conflict-theirs').textContent).toContain("'saved elsewhere'");
    expect(screen.getByTestId('conflict-theirs').textContent).toContain('Renamed elsewhere');
    expect(code.value).toBe("'typed here'");
    expect(calls.map((call) => `${call.method} ${call.ifMatch}`)).toEqual(['PATCH "1"', 'GET null']);
    expect(calls[0]!.body).toEqual({ code: "'typed here'" });
  });

  it('overwrites theirs with mine, naming the version it was shown', async () => {
    const calls = fakeApi();
    const code = await typeAndHitConflict();
    fireEvent.click(screen.getByTestId('conflict-overwrite'));
    await waitFor(() => expect(screen.queryByTestId('conflict-panel')).toBeNull());
    expect(screen.getByTestId('state').textContent).toBe('saved v3');
    const overwrite = calls.at(-1)!;
    expect(overwrite.method).toBe('PATCH');
    expect(overwrite.ifMatch).toBe('"2"');
    // Only what was changed here is written: the rename made elsewhere survives.
    expect(overwrite.body).toEqual({ code: "'typed here'" });
    expect(code.value).toBe("'typed here'");
    expect(screen.getByTestId('title').textContent).toBe('Renamed elsewhere');
  });

  it('takes theirs, replacing the draft without another write', async () => {
    const calls = fakeApi();
    const code = await typeAndHitConflict();
    fireEvent.click(screen.getByTestId('conflict-take-theirs'));
    await waitFor(() => expect(screen.queryByTestId('conflict-panel')).toBeNull());
    expect(code.value).toBe("'saved elsewhere'");
    expect(screen.getByTestId('state').textContent).toBe('idle v2');
    expect(calls.filter((call) => call.method === 'PATCH')).toHaveLength(1);
  });

  it('keeps editing without losing either side', async () => {
    fakeApi();
    const code = await typeAndHitConflict();
    fireEvent.click(screen.getByRole('button', { name: 'Keep editing' }));
    expect(screen.queryByTestId('conflict-panel')).toBeNull();
    expect(code.value).toBe("'typed here'");
  });
});
