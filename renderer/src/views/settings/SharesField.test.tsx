// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { SharesField } from './SharesField';

afterEach(() => {
  cleanup();
  delete window.berth;
});

const none = async () => null;

describe('shared folders field', () => {
  it('in the desktop app, adds the folder chosen in the desktop picker', async () => {
    let asked = '';
    window.berth = {
      agentEndpoint: async () => ({ agentUrl: 'ws://127.0.0.1:1/rpc', token: 'x'.repeat(32) }),
      notify: async () => undefined,
      openExternal: async () => undefined,
      saveFile: none,
      pickFolder: async ({ title }) => {
        asked = title;
        return '/srv/projects';
      },
    };
    let shares: string[] = ['/home/me'];
    render(<SharesField shares={shares} problemOf={() => undefined} onChange={(next) => (shares = next)} />);
    fireEvent.click(screen.getByRole('button', { name: 'Choose…' }));
    await waitFor(() => expect(shares).toEqual(['/home/me', '/srv/projects']));
    expect(asked).toMatch(/Share a folder/);
  });

  it('in browser mode, offers the path field only', () => {
    render(<SharesField shares={[]} problemOf={() => undefined} onChange={() => undefined} />);
    expect(screen.queryByRole('button', { name: 'Choose…' })).toBeNull();
    expect(screen.getByRole('textbox', { name: 'Folder to share' })).toBeTruthy();
  });
});

describe('shared folders while the VM runs', () => {
  it('says how each folder is mounted, and which wait for a restart', () => {
    render(
      <SharesField
        shares={['/home/me', '/srv/data', '/srv/new']}
        mounted={[
          { tag: 's0', path: '/home/me', transport: 'virtiofs' },
          { tag: 's1', path: '/srv/data', transport: '9p' },
        ]}
        problemOf={() => undefined}
        onChange={() => undefined}
      />,
    );
    const line = (p: string) => screen.getByText(p).closest('li')!.textContent;
    expect(line('/home/me')).toContain('mounted over virtiofs');
    expect(line('/srv/data')).toMatch(/mounted over 9p, slower than virtiofs: `berth doctor --fix` installs virtiofsd/);
    expect(line('/srv/new')).toContain('not mounted until the VM restarts');
  });
});
