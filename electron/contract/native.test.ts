import { describe, expect, it } from 'vitest';
import { nativeIpc, readPreloadArgs } from './native';

describe('native IPC validation', () => {
  it('opens only http(s) links', () => {
    expect(nativeIpc.openExternal.request.safeParse({ url: 'http://localhost:8080/' }).success).toBe(true);
    expect(nativeIpc.openExternal.request.safeParse({ url: 'file:///etc/passwd' }).success).toBe(false);
    expect(nativeIpc.openExternal.request.safeParse({ url: 'javascript:alert(1)' }).success).toBe(false);
    expect(nativeIpc.openExternal.request.safeParse({ url: 'https://x', extra: 1 }).success).toBe(false);
  });

  it('saves under a plain file name only', () => {
    expect(nativeIpc.saveFile.request.safeParse({ defaultName: 'logs.txt', content: '' }).success).toBe(true);
    expect(nativeIpc.saveFile.request.safeParse({ defaultName: '../../.bashrc', content: '' }).success).toBe(false);
  });

  it('reads the agent URL handed to the preload and rejects anything else', () => {
    const argv = ['electron', '--berth-agent-url=ws://127.0.0.1:4312/rpc', '--berth-token=abc'];
    expect(readPreloadArgs(argv)).toEqual({ agentUrl: 'ws://127.0.0.1:4312/rpc', token: 'abc' });
    expect(() => readPreloadArgs(['--berth-agent-url=ws://evil.example/rpc', '--berth-token=abc'])).toThrow();
  });
});
