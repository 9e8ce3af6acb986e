// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { VolumesView } from './VolumesView';
import { ImagesView } from '../images/ImagesView';
import { imagesStore, volumesStore } from '../../stores/domains';
import { AgentConnection, setConnection, useConnection } from '../../connection/connection';

// A connection that is "open" but has no agent behind it: any call the view makes fails with "Not connected",
// which is how the tests see whether (and when) the view sent the removal.
beforeEach(() => {
  setConnection(new AgentConnection(null));
  useConnection.setState({ state: 'open', attempt: 0 });
});
afterEach(cleanup);

describe('removing a volume', () => {
  beforeEach(() => {
    volumesStore.getState().apply({
      kind: 'snapshot',
      ready: true,
      items: [{ id: 'data', name: 'data', driver: 'local', mountpoint: '/v/data', created: 0, labels: {}, usedBy: [], size: 2_000_000 }],
    });
  });

  it('asks first, naming the volume and its data, and Cancel keeps it', () => {
    render(<VolumesView />);
    fireEvent.click(screen.getByRole('button', { name: 'Remove volume data' }));
    const dialog = screen.getByRole('dialog', { name: 'Remove volume data?' });
    expect(dialog.textContent).toContain('data stored in data (2.0 MB) is deleted for good');
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('sends the removal only once confirmed', async () => {
    render(<VolumesView />);
    fireEvent.click(screen.getByRole('button', { name: 'Remove volume data' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Remove volume' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Not connected');
  });

  it('refuses a bad name in the form, saying the rule instead of an internal error', () => {
    render(<VolumesView />);
    fireEvent.change(screen.getByLabelText('New volume name'), { target: { value: 'my data' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create volume' }));
    expect(screen.getByRole('alert').textContent).toBe('A volume name starts with a letter or digit and has only letters, digits, _ . or -.');
    expect(screen.getByLabelText('New volume name').getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(screen.getByLabelText('New volume name'), { target: { value: 'my-data' } });
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('removing an image', () => {
  it('asks first, naming the image', async () => {
    imagesStore.getState().apply({
      kind: 'snapshot',
      ready: true,
      items: [{ id: 'sha256:abc', tags: ['busybox:latest'], size: 4_000_000, created: 0, containers: 0, dangling: false, digests: [] }],
    });
    render(<ImagesView />);
    fireEvent.click(screen.getByRole('button', { name: 'Remove image busybox:latest' }));
    const dialog = screen.getByRole('dialog', { name: 'Remove image busybox:latest?' });
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove image' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Not connected');
  });
});
