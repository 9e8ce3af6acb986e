// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { RunDialog } from './RunDialog';
import { containersStore, imagesStore } from '../../stores/domains';
import { AgentConnection, setConnection, useConnection } from '../../connection/connection';

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

  it('drops the error of an earlier attempt as soon as the input changes', async () => {
    setConnection(new AgentConnection(null));
    render(<RunDialog image="busybox" onClose={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Not connected');
    fireEvent.change(screen.getByLabelText('Name (optional)'), { target: { value: 'web' } });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('suggests the local images while typing the image name', () => {
    imagesStore.getState().apply({
      kind: 'snapshot',
      ready: true,
      items: [{ id: 'sha256:1', tags: ['busybox:latest', 'team/app:1'], digests: [], size: 1, created: 0, containers: 0, dangling: false }],
    });
    render(<RunDialog onClose={() => {}} />);
    const input = screen.getByLabelText('Image');
    const list = document.getElementById(input.getAttribute('list')!)!;
    expect([...list.querySelectorAll('option')].map((o) => o.value)).toEqual(['busybox:latest', 'team/app:1']);
  });

  it('closes on Escape', () => {
    let closed = false;
    render(<RunDialog onClose={() => (closed = true)} />);
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(closed).toBe(true);
  });
});

describe('the Run dialog against a real agent', () => {
  it('explains a bind mount of a host folder the VM cannot see, instead of running', async () => {
    const fs = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const WebSocket = (await import('ws')).default;
    const { startAgent } = await import('../../../../electron/agent/agent');
    const { berthPaths } = await import('../../../../electron/base/paths');
    const home = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-run-'));
    const shared = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-share-'));
    await fs.writeFile(path.join(home, 'settings.json'), JSON.stringify({ shares: [shared] }));
    const agent = await startAgent({ paths: berthPaths(home), logger: { info() {}, warn() {}, error() {} } });
    const conn = new AgentConnection(`ws://127.0.0.1:${agent.info.port}/rpc?token=${agent.info.token}`, (u) => new WebSocket(u) as never);
    setConnection(conn);
    conn.start();
    try {
      await expect.poll(() => useConnection.getState().state).toBe('open');
      render(<RunDialog image="busybox" onClose={() => {}} />);
      fireEvent.change(screen.getByLabelText('Volumes and bind mounts'), { target: { value: '/opt/not-shared:/data' } });
      fireEvent.click(screen.getByRole('button', { name: 'Run' }));
      const alert = await screen.findByText(/\/opt\/not-shared is not shared with the Berth VM/);
      expect(alert.textContent).toMatch(/Settings > Shared folders/);
      expect(screen.getByLabelText('Volumes and bind mounts').getAttribute('aria-invalid')).toBe('true');
    } finally {
      conn.stop();
      await agent.stop();
    }
  });
});
