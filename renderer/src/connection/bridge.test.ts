// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { agentSocketUrl } from './bridge';

afterEach(() => {
  delete window.berth;
  sessionStorage.clear();
});

describe('where the renderer finds the agent', () => {
  it('browser mode: takes the token from the URL once, keeps it for reloads, and strips it from the address bar', () => {
    history.replaceState(null, '', '/?token=abc123#/images');
    expect(agentSocketUrl()).toBe(`ws://${location.host}/rpc?token=abc123`);
    expect(location.search).toBe('');
    expect(location.hash).toBe('#/images');
    // A reload no longer has it in the URL, but the session does.
    expect(agentSocketUrl()).toBe(`ws://${location.host}/rpc?token=abc123`);
  });

  it('without any token there is nothing to connect to', () => {
    history.replaceState(null, '', '/');
    expect(agentSocketUrl()).toBeNull();
  });

  it('Electron: uses the bridge the preload exposes', () => {
    const none = async () => null;
    window.berth = { agentUrl: 'ws://127.0.0.1:4567/rpc', token: 't/k', notify: async () => undefined, openExternal: async () => undefined, saveFile: none };
    expect(agentSocketUrl()).toBe('ws://127.0.0.1:4567/rpc?token=t%2Fk');
  });
});
