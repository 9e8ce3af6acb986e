// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fakeContainer, fakeLayout } from './test-fixtures';
import { containersStore } from '../../stores/domains';
import { navigate, useRoute } from '../../stores/route';
import { AgentConnection, setConnection, useConnection } from '../../connection/connection';
import { ContainersView } from './ContainersView';

const container = (id: string, name: string) => fakeContainer(id, name);

let undoLayout: () => void;
beforeAll(() => {
  undoLayout = fakeLayout();
  setConnection(new AgentConnection(null));
  useConnection.setState({ state: 'open', attempt: 0 });
});
afterAll(() => undoLayout());
afterEach(cleanup);

describe('the container list by keyboard', () => {
  it('has one Tab stop per row and moves between rows and along a row with the arrow keys', () => {
    navigate({ view: 'containers' });
    containersStore.getState().apply({ kind: 'snapshot', ready: true, items: [container('a', 'alpha'), container('b', 'beta')] });
    render(<ContainersView />);
    const rows = screen.getAllByRole('row').filter((r) => r.hasAttribute('data-row-index'));
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      const stops = [...row.querySelectorAll<HTMLElement>('button, a, input')].filter((el) => el.tabIndex >= 0);
      expect(stops.map((el) => el.getAttribute('aria-label'))).toEqual([`Open ${row.getAttribute('aria-label')}`]);
    }
    const openAlpha = screen.getByRole('button', { name: 'Open alpha' });
    openAlpha.focus();
    fireEvent.keyDown(openAlpha, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Open beta' }));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Stop beta' }));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Stop alpha' }));
    fireEvent.keyDown(document.activeElement!, { key: 'Home' });
    expect(document.activeElement).toBe(screen.getByRole('checkbox', { name: 'Select alpha' }));
  });

  it('focuses the heading when a row opens, the tabs follow the arrow keys, and Back returns to the row', async () => {
    navigate({ view: 'containers' });
    containersStore.getState().apply({ kind: 'snapshot', ready: true, items: [container('a', 'alpha'), container('b', 'beta')] });
    render(<ContainersView />);
    const open = screen.getByRole('button', { name: 'Open beta' });
    open.focus();
    act(() => open.click());
    expect(useRoute.getState()).toMatchObject({ containerId: 'b', tab: 'logs' });
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: 'beta' }));

    const logsTab = screen.getByRole('tab', { name: 'Logs' });
    expect(screen.getAllByRole('tab').filter((t) => t.tabIndex === 0)).toEqual([logsTab]);
    logsTab.focus();
    act(() => void fireEvent.keyDown(logsTab, { key: 'ArrowRight' }));
    expect(useRoute.getState().tab).toBe('terminal');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Terminal' }));
    act(() => void fireEvent.keyDown(document.activeElement!, { key: 'End' }));
    expect(useRoute.getState().tab).toBe('files');
    act(() => void fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' }));
    expect(useRoute.getState().tab).toBe('logs');

    act(() => screen.getByRole('button', { name: '← Containers' }).click());
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Open beta' })));
  });
});
