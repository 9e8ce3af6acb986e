import { describe, expect, it } from 'vitest';
import { nativeIpc } from './native';

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
});

describe('the agent endpoint main hands to the preload', () => {
  const reply = nativeIpc.agentEndpoint.reply;
  const token = 'Zx9_-a'.repeat(7) + 'b';

  it('is the agent on loopback with a base64url token, nothing more', () => {
    expect(reply.parse({ agentUrl: 'ws://127.0.0.1:4312/rpc', token })).toEqual({ agentUrl: 'ws://127.0.0.1:4312/rpc', token });
    expect(reply.safeParse({ agentUrl: 'ws://127.0.0.1:4312/rpc', token, extra: 1 }).success).toBe(false);
    expect(reply.safeParse({ agentUrl: 'ws://evil.example:4312/rpc', token }).success).toBe(false);
    expect(reply.safeParse({ agentUrl: 'wss://127.0.0.1:4312/rpc', token }).success).toBe(false);
    expect(reply.safeParse({ agentUrl: 'ws://127.0.0.1:4312/other', token }).success).toBe(false);
    expect(reply.safeParse({ agentUrl: 'ws://127.0.0.1:4312/rpc', token: '' }).success).toBe(false);
    expect(reply.safeParse({ agentUrl: 'ws://127.0.0.1:4312/rpc', token: 'short' }).success).toBe(false);
    expect(reply.safeParse({ agentUrl: 'ws://127.0.0.1:4312/rpc', token: `${token}&x=1` }).success).toBe(false);
  });

  it('is asked for with an empty request', () => {
    expect(nativeIpc.agentEndpoint.request.safeParse({}).success).toBe(true);
    expect(nativeIpc.agentEndpoint.request.safeParse({ token: 'x' }).success).toBe(false);
  });

  it('agrees with the tokens the agent makes (32 random bytes, base64url)', () => {
    const agentToken = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37) % 256)).toString('base64url');
    expect(reply.safeParse({ agentUrl: 'ws://127.0.0.1:1/rpc', token: agentToken }).success).toBe(true);
  });

  it('accepts only an absolute folder path (or a cancel) back from the folder picker', () => {
    expect(nativeIpc.pickFolder.reply.safeParse('/srv/projects').success).toBe(true);
    expect(nativeIpc.pickFolder.reply.safeParse(null).success).toBe(true);
    expect(nativeIpc.pickFolder.reply.safeParse('relative/path').success).toBe(false);
    expect(nativeIpc.pickFolder.request.safeParse({ title: 'x', extra: 1 }).success).toBe(false);
  });
});
