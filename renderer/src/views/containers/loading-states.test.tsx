// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useConnection } from '../../connection/connection';
import { LogBuffer } from './log-buffer';
import { LogView } from './LogView';
import { InspectPanel } from './InspectPanel';
import { FilesPanel } from './FilesPanel';

afterEach(cleanup);

describe('panels while their data is on its way', () => {
  it('logs say they are loading, not "0 lines" and "No output yet", until history arrives', () => {
    const buffer = new LogBuffer();
    const { rerender } = render(<LogView buffer={buffer} version={0} name="web" loading />);
    expect(screen.getByText('Loading the log history…')).toBeTruthy();
    expect(screen.queryByText('0 lines')).toBeNull();
    expect(screen.queryByText('No output yet.')).toBeNull();
    expect(screen.getByRole('log').getAttribute('aria-busy')).toBe('true');
    rerender(<LogView buffer={buffer} version={1} name="web" loading={false} />);
    expect(screen.getByText('No output yet.')).toBeTruthy();
    expect(screen.getByText('0 lines')).toBeTruthy();
  });

  it('inspect and files say they are loading instead of staying blank', () => {
    useConnection.setState({ state: 'connecting', attempt: 0 });
    render(<InspectPanel id="c1" />);
    expect(screen.getByRole('status').textContent).toBe('Loading the container’s configuration…');
    cleanup();
    render(<FilesPanel id="c1" running />);
    expect(screen.getByRole('status').textContent).toBe('Loading /…');
  });
});
