import { describe, expect, it } from 'vitest';
import { isBerthPageUrl, isTrustedSender } from './ipc-sender';

// Node's URL is the WHATWG URL Chromium and Electron's main use: these are the real semantics.
describe('the IPC sender check', () => {
  it('knows why an origin comparison cannot work for app://', () => {
    expect(new URL('app://berth/index.html').origin).toBe('null');
  });

  it("accepts Berth's own page, whatever its path, query or hash", () => {
    expect(isBerthPageUrl('app://berth/index.html')).toBe(true);
    expect(isBerthPageUrl('app://berth/')).toBe(true);
    expect(isBerthPageUrl('app://berth/index.html?x=1#/images')).toBe(true);
    expect(isBerthPageUrl('app://berth')).toBe(true);
  });

  it('refuses every other page', () => {
    for (const url of [
      'app://berth.evil/index.html',
      'app://evil/index.html',
      'app://berth@evil/index.html',
      'app://evil@berth/index.html',
      'app://berth:8080/index.html',
      'apps://berth/index.html',
      'http://berth/index.html',
      'http://127.0.0.1:4312/',
      'https://example.com/',
      'file:///app/berth/index.html',
      'about:blank',
      'data:text/html,<b>hi</b>',
      'null',
      '',
      'not a url',
    ]) {
      expect(isBerthPageUrl(url), url).toBe(false);
    }
    expect(isBerthPageUrl(undefined)).toBe(false);
    expect(isBerthPageUrl(null)).toBe(false);
  });

  it("trusts only the top frame of Berth's page", () => {
    expect(isTrustedSender({ url: 'app://berth/index.html', parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'app://berth/index.html', parent: { url: 'app://berth/index.html' } })).toBe(false);
    expect(isTrustedSender({ url: 'https://example.com/', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });
});
