import type { Acorn } from '@squirrelbin/schemas';
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithQueries } from '../../../testing/render';
import { loadDraft, saveDraft } from '../draft-storage';
import { forkTitle, useAcornDraft } from './use-acorn-draft';

const stored: Acorn = {
  id: 'acorn-0123456789abcdef',
  title: 'Stored',
  description: '',
  language: 'javascript',
  visibility: 'public',
  endpoint: false,
  version: 3,
  ownerId: 'owner-1',
  forkOf: null,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  code: "'stored'",
};

function Editor({ acorn }: { acorn: Acorn }) {
  const draft = useAcornDraft({ acorn });
  return (
    <>
      <label htmlFor="code">Code</label>
      <textarea id="code" value={draft.draft.code} onChange={(event) => draft.setField('code', event.target.value)} />
      <output data-testid="restored">{draft.restored ? JSON.stringify(draft.restored) : 'none'}</output>
      <output data-testid="base">{draft.base?.version}</output>
      <button type="button" onClick={draft.discard}>
        Discard
      </button>
    </>
  );
}

const stash = () => JSON.parse(localStorage.getItem(`squirrelbin.draft.${stored.id}`) ?? 'null');

describe('drafts kept in the browser', () => {
  it('stores an unsaved change and forgets it once it matches the stored acorn again', () => {
    renderWithQueries(<Editor acorn={stored} />);
    const code = screen.getByLabelText('Code');
    fireEvent.change(code, { target: { value: "'typed'" } });
    expect(stash().fields.code).toBe("'typed'");
    expect(stash().base.version).toBe(3);
    fireEvent.change(code, { target: { value: "'stored'" } });
    expect(stash()).toBeNull();
  });

  it('restores a stored draft with a notice, and discarding returns to the stored acorn', () => {
    saveDraft(
      stored.id,
      {
        title: 'Stored',
        description: '',
        language: 'javascript',
        visibility: 'public',
        endpoint: false,
        code: "'kept'",
      },
      stored,
    );
    renderWithQueries(<Editor acorn={stored} />);
    expect((screen.getByLabelText('Code') as HTMLTextAreaElement).value).toBe("'kept'");
    expect(screen.getByTestId('restored').textContent).toContain('updatedAt');
    fireEvent.click(screen.getByRole('button', { name: 'Discard' }));
    expect((screen.getByLabelText('Code') as HTMLTextAreaElement).value).toBe("'stored'");
    expect(screen.getByTestId('restored').textContent).toBe('none');
    expect(stash()).toBeNull();
  });

  it('keeps the older version as the base of a draft made before a newer save, so saving meets the version check', () => {
    saveDraft(
      stored.id,
      {
        title: 'Stored',
        description: '',
        language: 'javascript',
        visibility: 'public',
        endpoint: false,
        code: "'old draft'",
      },
      { ...stored, version: 2 },
    );
    renderWithQueries(<Editor acorn={stored} />);
    expect(screen.getByTestId('base').textContent).toBe('2');
    expect(JSON.parse(screen.getByTestId('restored').textContent!)).toMatchObject({ madeOn: 2, current: 3 });
  });
});

/** The Endpoint switch of an editor, and what the draft makes of it. */
function Switch() {
  const draft = useAcornDraft({ acorn: stored });
  return (
    <label>
      <input
        type="checkbox"
        checked={draft.draft.endpoint}
        onChange={(event) => draft.setField('endpoint', event.target.checked)}
      />
      Endpoint {draft.dirty ? 'dirty' : 'clean'} {draft.changed.join(',')}
    </label>
  );
}

describe('the endpoint switch in drafts', () => {
  it('is a field like the others: a change is unsaved work, and kept', () => {
    renderWithQueries(<Switch />);
    fireEvent.click(screen.getByRole('checkbox'));
    expect(screen.getByText(/Endpoint dirty endpoint/)).toBeTruthy();
    expect(stash().fields.endpoint).toBe(true);
  });

  it('reads a draft kept before endpoints existed as not an endpoint', () => {
    localStorage.setItem(
      `squirrelbin.draft.${stored.id}`,
      JSON.stringify({
        fields: { title: 'Stored', description: '', language: 'javascript', visibility: 'public', code: "'old'" },
        base: stored,
        updatedAt: '2025-01-02T00:00:00.000Z',
      }),
    );
    expect(loadDraft(stored.id)?.fields.endpoint).toBe(false);
  });
});

describe('forkTitle', () => {
  it('adds “(fork)” within the title limit, once', () => {
    expect(forkTitle('Thing')).toBe('Thing (fork)');
    expect(forkTitle('Thing (fork)')).toBe('Thing (fork)');
    const long = forkTitle('x'.repeat(120));
    expect(long.length).toBe(120);
    expect(long.endsWith(' (fork)')).toBe(true);
  });
});
