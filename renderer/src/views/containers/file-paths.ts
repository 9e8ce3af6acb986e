import { MAX_EDIT_BYTES, MAX_UPLOAD_BYTES } from '../../../../electron/contract/container-files';
import { formatBytes } from '../../components/format';

/** Pure helpers of the Files tab: paths, breadcrumbs, and what may be uploaded or edited. */

export function joinPath(dir: string, name: string): string {
  return (dir.endsWith('/') ? dir : `${dir}/`) + name;
}

export function parentPath(dir: string): string {
  const p = dir.replace(/\/+$/, '').split('/').slice(0, -1).join('/');
  return p || '/';
}

/** "/app/deep" -> [{ name: '/', path: '/' }, { name: 'app', path: '/app' }, { name: 'deep', path: '/app/deep' }]. */
export function breadcrumbs(dir: string): { name: string; path: string }[] {
  const parts = dir.split('/').filter(Boolean);
  return [{ name: '/', path: '/' }, ...parts.map((name, i) => ({ name, path: `/${parts.slice(0, i + 1).join('/')}` }))];
}

/** A name the user typed for a new folder or file: one path segment, or why not. */
export function nameProblem(name: string): string | null {
  if (!name.trim()) return 'Type a name.';
  if (name.includes('/')) return 'A name cannot contain "/": make one folder at a time.';
  if (name === '.' || name === '..') return `"${name}" is not a name a folder can have.`;
  if (new TextEncoder().encode(name).length > 255) return 'Names are at most 255 bytes.';
  return null;
}

/** Why a picked or dropped file cannot be uploaded (null: it can). */
export function uploadProblem(file: { name: string; size: number }): string | null {
  if (file.size > MAX_UPLOAD_BYTES) {
    return `${file.name} is ${formatBytes(file.size)}; one upload carries at most ${formatBytes(MAX_UPLOAD_BYTES)}. Copy bigger files with \`docker cp\`.`;
  }
  return nameProblem(file.name);
}

/** The text of a file for the editor, or why it is not opened there. */
export function editableText(name: string, bytes: Uint8Array, size: number, truncated: boolean): { text: string } | { problem: string } {
  if (truncated || size > MAX_EDIT_BYTES) {
    return { problem: `${name} is ${formatBytes(size)}; only text files up to ${formatBytes(MAX_EDIT_BYTES)} are edited here. Download it instead.` };
  }
  if (bytes.includes(0)) return { problem: `${name} looks binary (it has NUL bytes); download it instead.` };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { problem: `${name} is not UTF-8 text; download it instead.` };
  }
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Saves bytes as a file: an <a download> of a blob (the browser's download; Electron shows its save dialog). */
export function saveBlob(name: string, parts: BlobPart[], type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
