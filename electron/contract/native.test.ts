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
