import { isBerthPageUrl } from './ipc-sender';

/**
 * The web permissions Berth's page is granted, and only it, only in its top frame. Electron grants every
 * permission by default (camera, microphone, geolocation, notifications, HID/USB/serial, MIDI, pointer lock,
 * window management, opening external protocols ...); Berth uses none of them, except the clipboard: the log
 * view and terminal copy (`navigator.clipboard.writeText`) and the terminal's Paste button reads
 * (`navigator.clipboard.readText`). Desktop notifications go through main's own IPC, not the web API.
 */
export const PERMISSIONS_FOR_BERTH_PAGE: ReadonlySet<string> = new Set(['clipboard-sanitized-write', 'clipboard-read']);

/** The one decision behind Electron's permission request and check handlers. */
export function permissionGranted(permission: string, request: { requestingUrl?: string; isMainFrame?: boolean }): boolean {
  return PERMISSIONS_FOR_BERTH_PAGE.has(permission) && request.isMainFrame !== false && isBerthPageUrl(request.requestingUrl);
}
