import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestImage, startBerth, TEST_IMAGE, type BerthUnderTest } from '../testing/vm-fixture';
import { importBusyboxImage } from '../testing/busybox';
import type { AgentClient } from '../agent/client';
import type { ExecItem } from '../contract/model';

const NO_SH = 'berth-test/no-sh:1';

/** What a user runs into on the real engine, and what Berth says and leaves behind. */
describe('user errors on the real engine', () => {
  let b: BerthUnderTest;
  let client: AgentClient;
  beforeAll(async () => {
    b = await startBerth();
    await ensureTestImage(b);
    // An image with no /bin/sh: only the busybox binary (like a distroless image, as far as exec goes).
    await importBusyboxImage({ tag: NO_SH, applets: [], changes: ['CMD ["/bin/busybox", "sleep", "300"]'], env: b.env });
    client = await b.client();
  }, 600_000);
  afterAll(async () => {
    await b?.docker('rm', '-f', 'port-holder', 'port-taker', 'no-sh', 'net-user').catch(() => undefined);
    await b?.docker('network', 'rm', 'busy-net').catch(() => undefined);
    client?.close();
    await b?.stop();
  });

  it('a run on a host port another container holds fails with a hint and leaves no created container', async () => {
    await b.docker('run', '-d', '--name', 'port-holder', '-p', '18181:80', TEST_IMAGE, 'busybox', 'sleep', '300');
    const run = client.call('containers.run', { image: TEST_IMAGE, name: 'port-taker', ports: [{ host: 18181, container: 80 }], command: ['busybox', 'sleep', '300'] });
    await expect(run).rejects.toMatchObject({ message: expect.stringMatching(/did not start.*(already allocated|in use)/s), hint: expect.stringContaining('another HOST port') });
    expect(await b.docker('ps', '-a', '--filter', 'name=^port-taker$', '--format', '{{.Names}}')).toBe('');
  });

  it('a pull from a plain-HTTP registry says how to allow it', async () => {
    const server = http.createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const ended = await new Promise<{ message: string; hint?: string } | null>((resolve) =>
        client.open('images.pull', { ref: `10.0.2.2:${port}/team/app:1` }, { onItem: () => undefined, onEnd: (err) => resolve(err ?? null) }),
      );
      expect(ended?.message).toMatch(/HTTP response to HTTPS client/);
      expect(ended?.hint).toContain(`add "10.0.2.2:${port}" to the engine's insecure registries`);
      expect(ended?.hint).toContain('Settings > Docker Engine');
    } finally {
      server.close();
    }
  });

  it('a terminal on an image without /bin/sh fails plainly, and another command works', async () => {
    const { id } = await client.call('containers.run', { image: NO_SH, name: 'no-sh' });
    const session = (cmd?: string[]) =>
      new Promise<{ text: string; exit: number | null }>((resolve, reject) => {
        let text = '';
        client.open('containers.exec', { id, ...(cmd ? { cmd } : {}) }, {
          onItem: (item: ExecItem) => {
            if ('data' in item) text += item.data;
            else resolve({ text, exit: item.exit });
          },
          onEnd: (err) => err && reject(err),
        });
      });
    const failed = await session();
    expect([126, 127]).toContain(failed.exit);
    expect(failed.text).toMatch(/no such file or directory|not found/i);
    const other = await session(['/bin/busybox', 'echo', 'from-busybox']);
    expect(other).toMatchObject({ exit: 0, text: expect.stringContaining('from-busybox') });
  });

  it('a network that cannot be removed is named by its name, not its id', async () => {
    await b.docker('network', 'create', 'busy-net');
    await b.docker('run', '-d', '--name', 'net-user', '--network', 'busy-net', TEST_IMAGE, 'busybox', 'sleep', '300');
    const id = await b.docker('network', 'inspect', '-f', '{{.Id}}', 'busy-net');
    await expect.poll(async () => (await client.call('networks.remove', { name: id }).catch((e: Error) => e.message)) as string, { timeout: 20_000 }).toMatch(
      /^Could not remove network busy-net:/,
    );
  });
});
