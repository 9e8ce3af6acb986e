// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { RunDialog } from './RunDialog';
import { containersStore } from '../../stores/domains';
import { AgentConnection, setConnection } from '../../connection/connection';

afterEach(cleanup);

describe('the Run dialog', () => {
  it('says per field why the input is wrong, before anything is sent', () => {
    // A connection that never connects: a call would fail with "Not connected", which must not be what we see.
    setConnection(new AgentConnection(null));
    containersStore.getState().apply({
      kind: 'snapshot',
      ready: true,
      items: [{ id: '1', name: 'taken', image: 'x', imageId: 'x', command: '', state: 'running', status: '', created: 0, ports: [], project: null, service: null, labels: {}, mounts: [], networks: [] }],
    });
    let closed = false;
    render(<RunDialog image="busybox" onClose={() => (closed = true)} />);
    fireEvent.change(screen.getByLabelText('Name (optional)'), { target: { value: 'taken' } });
    fireEvent.change(screen.getByLabelText('Published ports'), { target: { value: '8080:80\nhttp' } });
    fireEvent.change(screen.getByLabelText('Environment variables'), { target: { value: 'JUST_A_NAME' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    const alerts = screen.getAllByRole('alert').map((a) => a.textContent);
    expect(alerts).toContain('A container named "taken" already exists.');
    expect(alerts.some((t) => t?.startsWith('Line 2: "http"'))).toBe(true);
    expect(alerts.some((t) => t?.includes('is not KEY=value'))).toBe(true);
    expect(screen.getByLabelText('Published ports').getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByText(/Not connected/)).toBeNull();
    expect(closed).toBe(false);
  });

  it('closes on Escape', () => {
    let closed = false;
    render(<RunDialog onClose={() => (closed = true)} />);
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(closed).toBe(true);
  });
});
