// @vitest-environment happy-dom
/**
 * The Settings form and the factory reset against a real agent (no VM): problems come from the agent's
 * validator and show at their fields; nothing is written while a field is bad; a reset deletes only after the
 * typed confirmation. Settings > Docker Engine is checked as typed and saved only when good.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { startAgent } from '../../../../electron/agent/agent';
import { berthPaths } from '../../../../electron/base/paths';
import { AgentConnection, setConnection, useConnection } from '../../connection/connection';
import { useStatus } from '../../stores/status';
import { SettingsView } from './SettingsView';
import { FactoryResetDialog } from '../troubleshoot/FactoryResetDialog';

let home: string;
let agent: Awaited<ReturnType<typeof startAgent>>;
let conn: AgentConnection;
let settingsFile: string;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-set-'));
  const share = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-set-share-'));
  settingsFile = path.join(home, 'settings.json');
  fs.writeFileSync(settingsFile, JSON.stringify({ cpus: 1, memoryMiB: 1024, shares: [share], dockerContext: false }));
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

describe('the Settings form', () => {
  it('shows each bad field next to it and writes nothing', async () => {
    const before = fs.readFileSync(settingsFile, 'utf8');
    render(<SettingsView />);
    const cpus = await screen.findByLabelText('CPUs');
    fireEvent.change(cpus, { target: { value: '999' } });
    fireEvent.change(screen.getByLabelText('Memory (MiB)'), { target: { value: 'lots' } });
    fireEvent.change(screen.getByLabelText('Folder to share'), { target: { value: '/no/such/folder' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add folder' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByText(/^is 999 but this host has \d+ CPUs$/)).id).toBe('set-cpus-error');
    expect(screen.getByText('must be a number').id).toBe('set-memoryMiB-error');
    expect(screen.getByText(/\/no\/such\/folder does not exist or is not a folder/)).toBeTruthy();
    expect(cpus.getAttribute('aria-invalid')).toBe('true');
    expect(fs.readFileSync(settingsFile, 'utf8')).toBe(before);
  });

  it('saves a good change and says which fields need a restart', async () => {
    render(<SettingsView />);
    fireEvent.change(await screen.findByLabelText('CPUs'), { target: { value: '2' } });
    fireEvent.click(screen.getByLabelText(/Start with the agent/));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('status')).textContent).toMatch(/^CPUs: saved; it applies when the VM restarts\./);
    const saved = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
    expect(saved.cpus).toBe(2);
    expect(saved.autostart).toBe(true);
  });
});

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

describe('the factory reset confirmation', () => {
  it('names what it deletes, needs the typed word and a stopped VM, then deletes', async () => {
    useStatus.setState({ status: { vm: { state: 'running', accel: 'tcg', since: 0 }, engine: { state: 'unavailable' } } });
    render(<FactoryResetDialog onClose={() => {}} />);
    const list = await screen.findByRole('list', { name: 'What will be deleted' });
    expect((await within(list).findByText(/^settings/)).textContent).toContain(settingsFile);
    expect(within(list).getByText(/^the data disk/).textContent).toContain('(not there now)');
    const button = screen.getByRole('button', { name: 'Delete and reset' }) as HTMLButtonElement;
    fireEvent.change(screen.getByLabelText(/to confirm/), { target: { value: 'reset' } });
    expect(button.disabled).toBe(true); // the VM still runs
    expect(screen.getByText(/Stop the VM first/)).toBeTruthy();
    useStatus.setState({ status: { vm: { state: 'stopped' }, engine: { state: 'unavailable' } } });
    fireEvent.change(screen.getByLabelText(/to confirm/), { target: { value: 'rese' } });
    expect(button.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText(/to confirm/), { target: { value: 'reset' } });
    expect(button.disabled).toBe(false);
    expect(fs.existsSync(settingsFile)).toBe(true);
    fireEvent.click(button);
    expect((await screen.findByRole('status')).textContent).toContain(`Deleted: ${settingsFile}`);
    expect(fs.existsSync(settingsFile)).toBe(false);
  });
});
