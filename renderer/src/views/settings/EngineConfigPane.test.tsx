// @vitest-environment happy-dom
/** Settings > Docker Engine against a real agent (no VM): checked as typed, saved only when good. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { startAgent } from '../../../../electron/agent/agent';
import { berthPaths } from '../../../../electron/base/paths';
import { AgentConnection, setConnection, useConnection } from '../../connection/connection';
import { SettingsView } from './SettingsView';

let home: string;
let agent: Awaited<ReturnType<typeof startAgent>>;
let conn: AgentConnection;
let settingsFile: string;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-engine-pane-'));
  settingsFile = path.join(home, 'settings.json');
  fs.writeFileSync(settingsFile, JSON.stringify({ cpus: 1, memoryMiB: 1024, shares: [], dockerContext: false }));
  agent = await startAgent({ paths: berthPaths(home), logger: { info() {}, warn() {}, error() {} } });
  conn = new AgentConnection(`ws://127.0.0.1:${agent.info.port}/rpc?token=${agent.info.token}`, (u) => new WebSocket(u) as never);
  setConnection(conn);
  conn.start();
  for (let i = 0; i < 100 && useConnection.getState().state !== 'open'; i++) await new Promise((r) => setTimeout(r, 50));
});

afterAll(async () => {
  conn?.stop();
  await agent?.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

afterEach(cleanup);

describe('Settings > Docker Engine', () => {
  it('names a bad key as it is typed and cannot apply it; a good config is saved for the next start', async () => {
    render(<SettingsView />);
    const box = await screen.findByLabelText('Engine configuration (daemon.json)');
    const apply = screen.getByRole('button', { name: 'Apply' });
    fireEvent.change(box, { target: { value: '{"data-root": "/mnt", "insecure-registry": []}' } });
    expect(screen.getByRole('alert').textContent).toContain('data-root is set by Berth');
    expect(screen.getByRole('alert').textContent).toContain('insecure-registry is not an engine setting Berth knows');
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect((apply as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(box, { target: { value: '{"insecure-registries": ["10.0.2.2:5001"' } });
    expect(screen.getByRole('alert').textContent).toContain('Not valid JSON');

    fireEvent.change(box, { target: { value: '{"insecure-registries": ["10.0.2.2:5001"]}' } });
    expect((apply as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(apply);
    expect(await screen.findByText(/the engine uses it from the VM's next start/)).toBeTruthy();
    await waitFor(() => expect(JSON.parse(fs.readFileSync(settingsFile, 'utf8')).engineConfig).toEqual({ 'insecure-registries': ['10.0.2.2:5001'] }));
  });
});
