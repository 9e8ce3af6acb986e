import { describe, expect, it } from 'vitest';
import { permissionGranted } from './permissions';

const page = { requestingUrl: 'app://berth/index.html', isMainFrame: true };

describe('web permissions in the desktop app', () => {
  it("grants Berth's page the clipboard (copy buttons, the terminal's paste) and nothing else", () => {
    expect(permissionGranted('clipboard-sanitized-write', page)).toBe(true);
    expect(permissionGranted('clipboard-read', page)).toBe(true);
    for (const permission of [
      'media',
      'display-capture',
      'geolocation',
      'notifications',
      'midi',
      'midiSysex',
      'hid',
      'serial',
      'usb',
      'fullscreen',
      'pointerLock',
      'keyboardLock',
      'openExternal',
      'window-management',
      'fileSystem',
      'local-fonts',
      'idle-detection',
      'storage-access',
      'unknown',
      'some-permission-of-a-future-electron',
    ]) {
      expect(permissionGranted(permission, page), permission).toBe(false);
    }
  });

  it('grants nothing to any other page or to a frame inside the page', () => {
    expect(permissionGranted('clipboard-read', { requestingUrl: 'https://example.com/', isMainFrame: true })).toBe(false);
    expect(permissionGranted('clipboard-read', { requestingUrl: 'http://127.0.0.1:4312/', isMainFrame: true })).toBe(false);
    expect(permissionGranted('clipboard-read', { requestingUrl: undefined })).toBe(false);
    expect(permissionGranted('clipboard-read', { ...page, isMainFrame: false })).toBe(false);
  });

  it("checks by origin too (Electron's check handler may only know the requesting origin)", () => {
    expect(permissionGranted('clipboard-sanitized-write', { requestingUrl: 'app://berth' })).toBe(true);
    expect(permissionGranted('clipboard-sanitized-write', { requestingUrl: 'null' })).toBe(false);
  });
});
