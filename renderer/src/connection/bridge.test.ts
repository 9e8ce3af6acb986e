// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { agentSocketUrl } from './bridge';

afterEach(() => {
  delete window.berth;
  sessionStorage.clear();
});

describe('where the renderer finds the agent', () => {
  it('browser mode: takes the token from the URL once, keeps it for reloads, and strips it from the address bar', async () => {
    history.replaceState(null, '', '/?token=abc123#/images');
    const url = agentSocketUrl();
    // Gone from the address bar at once, before anything awaits.
    expect(location.search).toBe('');
    expect(location.hash).toBe('#/images');
    expect(await url).toBe(`ws://${location.host}/rpc?token=abc123`);
    // A reload no longer has it in the URL, but the session does.
    expect(await agentSocketUrl()).toBe(`ws://${location.host}/rpc?token=abc123`);
  });

  it('without any token there is nothing to connect to', async () => {
    history.replaceState(null, '', '/');
    expect(await agentSocketUrl()).toBeNull();
  });

  it('Electron: asks main through the bridge the preload exposes', async () => {
    const none = async () => null;
    let asked = 0;
    const agentEndpoint = async () => {
      asked += 1;
      return { agentUrl: 'ws://127.0.0.1:4567/rpc', token: 't/k' };
    };
    window.berth = { agentEndpoint, notify: async () => undefined, openExternal: async () => undefined, saveFile: none, pickFolder: none };
    expect(await agentSocketUrl()).toBe('ws://127.0.0.1:4567/rpc?token=t%2Fk');
    expect(asked).toBe(1);
    // Nothing of it lands in the page's storage.
    expect(sessionStorage.length).toBe(0);
  });
});
