import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineConfigProblems } from '../contract/engine-config';
import { SettingsStore } from './store';

const host = { cpus: 4, memoryMiB: 8192 };

describe('engineConfig (Settings > Docker Engine)', () => {
  it('takes the common daemon.json keys with their types', () => {
    expect(
      engineConfigProblems({
        'insecure-registries': ['10.0.2.2:5001', '10.0.0.0/8'],
        'registry-mirrors': ['http://10.0.2.2:5000'],
        'log-driver': 'local',
        'log-opts': { 'max-size': '10m', 'max-file': '3' },
        features: { buildkit: true },
        'default-address-pools': [{ base: '172.30.0.0/16', size: 24 }],
        debug: true,
        experimental: false,
      }),
    ).toEqual([]);
  });

  it('names each bad key: unknown ones, wrong types, and the ones Berth owns with why', () => {
    const problems = engineConfigProblems({
      'insecure-registry': ['10.0.2.2:5001'],
      'log-opts': { 'max-file': 3 },
      'insecure-registries': ['http://10.0.2.2:5001'],
      hosts: ['tcp://0.0.0.0:2375'],
      'data-root': '/mnt',
    });
    const byKey = Object.fromEntries(problems.map((p) => [p.key, p.message]));
    expect(byKey['insecure-registry']).toMatch(/not an engine setting Berth knows/);
    expect(byKey['log-opts.max-file']).toMatch(/must be a string/);
    expect(byKey['insecure-registries.0']).toMatch(/HOST\[:PORT\]/);
    expect(byKey.hosts).toMatch(/set by Berth: .*SSH tunnel/);
    expect(byKey['data-root']).toMatch(/data disk/);
    expect(engineConfigProblems(['x'])).toEqual([{ key: '(root)', message: expect.stringContaining('JSON object') }]);
  });

  it('is saved through settings, needs a VM restart, and a bad one is refused naming the key, nothing saved', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-engine-config-'));
    const store = new SettingsStore(path.join(dir, 'settings.json'), host);
    expect((await store.get()).engineConfig).toEqual({});
    const ok = await store.update({ engineConfig: { 'insecure-registries': ['10.0.2.2:5001'] } });
    expect(ok.restartRequired).toContain('engineConfig');
    await expect(store.update({ engineConfig: { hosts: ['tcp://0.0.0.0:2375'] } })).rejects.toMatchObject({
      message: expect.stringContaining('engineConfig.hosts is set by Berth'),
      hint: expect.stringContaining('engineConfig'),
    });
    expect((await store.get()).engineConfig).toEqual({ 'insecure-registries': ['10.0.2.2:5001'] });
  });
});
