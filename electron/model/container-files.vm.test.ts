import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentClient } from '../agent/client';
import { MAX_UPLOAD_BYTES, type DownloadChunk } from '../contract/model';
import { importBusyboxImage } from '../testing/busybox';
import { ensureTestImage, startBerth, TEST_IMAGE, type BerthUnderTest } from '../testing/vm-fixture';
import { firstEntry, listChildren } from './tar';

/** busybox with the applets a user's shell image has (ls, rm, cat, stat), and a file to edit. */
const FILES_IMAGE = 'berth-test/files:1';

/** The Files tab's calls on the real engine: a stopped container, one without ls, uploads, edits, folders. */
describe('container files both ways', () => {
  let b: BerthUnderTest;
  let client: AgentClient;
  const names = ['files-stopped', 'files-running', 'files-no-ls'];

  const download = (id: string, path: string, as: 'tar' | 'file') =>
    new Promise<Buffer>((resolve, reject) => {
      const parts: Buffer[] = [];
      client.open('containers.download', { id, path, as }, {
        onItem: (c: DownloadChunk) => void parts.push(Buffer.from(c.base64, 'base64')),
        onEnd: (err) => (err ? reject(err) : resolve(Buffer.concat(parts))),
      });
    });

  beforeAll(async () => {
    b = await startBerth();
    await ensureTestImage(b);
    await importBusyboxImage({
      tag: FILES_IMAGE,
      applets: ['sh', 'ls', 'rm', 'cat', 'stat', 'chown', 'chmod', 'sleep'],
      files: { 'app/notes.txt': 'first line\n', 'app/deep/er/file.txt': 'deep\n' },
      changes: ['CMD ["sleep", "300"]'],
      env: b.env,
    });
    client = await b.client();
  }, 600_000);
  afterAll(async () => {
    await b?.docker('rm', '-f', ...names).catch(() => undefined);
    client?.close();
    await b?.stop();
  });

  it('a stopped container is browsed through the archive API', async () => {
    const id = await b.docker('create', '--name', 'files-stopped', FILES_IMAGE);
    const root = await client.call('containers.files', { id, path: '/' });
    expect(root.stopped).toBe(true);
    expect(root.entries.filter((e) => e.type === 'dir').map((e) => e.name)).toEqual(expect.arrayContaining(['app', 'bin', 'tmp']));
    const app = await client.call('containers.files', { id, path: '/app' });
    expect(app.entries).toEqual([
      expect.objectContaining({ name: 'deep', type: 'dir' }),
      expect.objectContaining({ name: 'notes.txt', type: 'file', size: 11 }),
    ]);
    // A symlinked folder is followed: /bin's applets are links to busybox.
    const bin = await client.call('containers.files', { id, path: '/bin' });
    expect(bin.entries).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'ls', type: 'link' })]));
  });

  it('an uploaded file appears in the stopped container, bytes intact, and a folder can be made there', async () => {
    const id = await b.docker('inspect', '-f', '{{.Id}}', 'files-stopped');
    const bytes = Buffer.from([0, 1, 2, 250, 255, 10]);
    await client.call('containers.writeFile', { id, path: '/app/upload.bin', base64: bytes.toString('base64') });
    await client.call('containers.writeFile', { id, path: '/app/hello.txt', base64: Buffer.from('uploaded\n').toString('base64') });
    await client.call('containers.mkdir', { id, path: '/app/made' });
    await expect(client.call('containers.mkdir', { id, path: '/app/made' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(client.call('containers.deleteFile', { id, path: '/app/made' })).rejects.toMatchObject({
      message: 'Deleting /app/made needs the container running',
    });
    expect(await download(id, '/app/upload.bin', 'file')).toEqual(bytes);
    await b.docker('start', 'files-stopped');
    expect(await b.docker('exec', 'files-stopped', 'cat', '/app/hello.txt')).toBe('uploaded');
    expect(await b.docker('exec', 'files-stopped', 'stat', '-c', '%F %a', '/app/made')).toBe('directory 755');
  });

  it('an edited file keeps the edit, its mode and its owner', async () => {
    await b.docker('exec', 'files-stopped', 'sh', '-c', 'chown 1000:1000 /app/notes.txt && chmod 600 /app/notes.txt');
    const id = await b.docker('inspect', '-f', '{{.Id}}', 'files-stopped');
    const before = await client.call('containers.readFile', { id, path: '/app/notes.txt' });
    expect(Buffer.from(before.base64, 'base64').toString()).toBe('first line\n');
    await client.call('containers.writeFile', { id, path: '/app/notes.txt', base64: Buffer.from('first line\nan edit\n').toString('base64') });
    expect(await b.docker('exec', 'files-stopped', 'cat', '/app/notes.txt')).toBe('first line\nan edit');
    expect(await b.docker('exec', 'files-stopped', 'stat', '-c', '%a %u:%g', '/app/notes.txt')).toBe('600 1000:1000');
    const after = await client.call('containers.readFile', { id, path: '/app/notes.txt' });
    expect(Buffer.from(after.base64, 'base64').toString()).toBe('first line\nan edit\n');
  });

  it('a folder is deleted in the running container, and a write into a gone folder says so', async () => {
    const id = await b.docker('inspect', '-f', '{{.Id}}', 'files-stopped');
    await client.call('containers.deleteFile', { id, path: '/app/made' });
    expect(await b.docker('exec', 'files-stopped', 'ls', '/app')).not.toContain('made');
    const listing = await client.call('containers.files', { id, path: '/app' });
    expect(listing.stopped).toBe(false);
    expect(listing.entries.map((e) => e.name)).not.toContain('made');
    await expect(client.call('containers.writeFile', { id, path: '/app/made/x.txt', base64: '' })).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringContaining('the folder /app/made is not there'),
    });
  });

  it('a folder downloads as a tar of everything below it', async () => {
    const id = await b.docker('inspect', '-f', '{{.Id}}', 'files-stopped');
    const tar = await download(id, '/app', 'tar');
    const { entries } = await listChildren(Readable.from([tar]), { maxEntries: 100, maxBodyBytes: 1 << 20 });
    expect(entries.map((e) => e.name).sort()).toEqual(['deep', 'hello.txt', 'notes.txt', 'upload.bin']);
    const nested = await download(id, '/app/deep/er', 'tar');
    expect((await firstEntry(Readable.from([nested]), 10))?.head.name).toBe('er/');
  });

  it('a running container without ls is listed, written and read through the archive API', async () => {
    const id = await b.docker('run', '-d', '--name', 'files-no-ls', TEST_IMAGE, 'busybox', 'sleep', '300');
    const www = await client.call('containers.files', { id, path: '/www' });
    expect(www.entries).toEqual([expect.objectContaining({ name: 'index.html', type: 'file' })]);
    await client.call('containers.writeFile', { id, path: '/www/new.html', base64: Buffer.from('<p>new</p>').toString('base64') });
    expect(await b.docker('exec', 'files-no-ls', 'busybox', 'cat', '/www/new.html')).toBe('<p>new</p>');
    await expect(client.call('containers.deleteFile', { id, path: '/www/new.html' })).rejects.toMatchObject({
      message: expect.stringContaining('Cannot delete /www/new.html'),
    });
  });

  it('an upload just over the cap (still inside one frame) is refused, naming what to do', async () => {
    const id = await b.docker('inspect', '-f', '{{.Id}}', 'files-no-ls');
    const big = Buffer.alloc(MAX_UPLOAD_BYTES + 3).toString('base64');
    await expect(client.call('containers.writeFile', { id, path: '/www/big.bin', base64: big })).rejects.toMatchObject({
      message: expect.stringContaining('docker cp'),
    });
    expect(await b.docker('exec', 'files-no-ls', 'busybox', 'ls', '/www')).not.toContain('big.bin');
  });
});
