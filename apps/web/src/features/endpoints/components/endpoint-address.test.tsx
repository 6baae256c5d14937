import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { EndpointAddress } from './endpoint-address';

const saved = { id: 'AbCdEfGhIjKlMnOp1234', endpoint: true, visibility: 'public' as const, version: 4 };
const url = `${window.location.origin}/x/${saved.id}`;

describe('EndpointAddress', () => {
  it('shows where a saved public or unlisted endpoint is served, with Copy', () => {
    render(<EndpointAddress saved={saved} draft={{ endpoint: true, visibility: 'public' }} dirty={false} />);
    expect(screen.getByTestId('endpoint-url').textContent).toBe(url);
    expect(screen.getByRole('button', { name: /Copy URL/ })).toBeTruthy();
    expect(screen.queryByTestId('endpoint-private')).toBeNull();
  });

  it('says the saved version is what is served while there are changes', () => {
    render(<EndpointAddress saved={saved} draft={{ endpoint: true, visibility: 'unlisted' }} dirty />);
    expect(screen.getByTestId('endpoint-url')).toBeTruthy();
    expect(screen.getByText('The endpoint serves version 4: save to serve your changes.')).toBeTruthy();
  });

  it('explains that a private acorn is not served, and shows no URL', () => {
    render(
      <EndpointAddress
        saved={{ ...saved, visibility: 'private' }}
        draft={{ endpoint: true, visibility: 'private' }}
        dirty={false}
      />,
    );
    expect(screen.queryByTestId('endpoint-url')).toBeNull();
    expect(screen.getByTestId('endpoint-private').textContent).toContain(`${url} answers 404`);
  });

  it('warns that saving as private stops a served endpoint', () => {
    render(<EndpointAddress saved={saved} draft={{ endpoint: true, visibility: 'private' }} dirty />);
    expect(screen.getByTestId('endpoint-private').textContent).toContain('Saving it as private stops serving it');
  });

  it('waits for the first save before naming a URL', () => {
    const { rerender } = render(
      <EndpointAddress saved={undefined} draft={{ endpoint: true, visibility: 'public' }} dirty />,
    );
    expect(screen.getByTestId('endpoint-unsaved').textContent).toContain('its id comes with the first save');
    rerender(<EndpointAddress saved={undefined} draft={{ endpoint: true, visibility: 'private' }} dirty />);
    expect(screen.getByTestId('endpoint-private').textContent).not.toContain('/x/new');
  });

  it('says when a saved acorn starts being served: on the next save', () => {
    render(
      <EndpointAddress saved={{ ...saved, endpoint: false }} draft={{ endpoint: true, visibility: 'public' }} dirty />,
    );
    expect(screen.getByTestId('endpoint-not-yet').textContent).toBe(`Save to start serving it at ${url}.`);
  });
});
