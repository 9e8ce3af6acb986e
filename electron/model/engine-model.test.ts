/**
 * The model's ordering under a race the real engine produces on every `docker rm -f` of a volume's user: the
 * volume's unmount event re-lists volumes while the container's destroy is still being applied. The engine here
 * is scripted so the volume list answers late, after the container is gone; the timing is what is under test.
 */
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { describe, expect, it, vi } from 'vitest';
import { EngineModel, type EngineSource } from './engine-model';

const container = {
  Id: 'c1',
  Names: ['/voluser'],
  Image: 'busybox',
  ImageID: 'sha256:img',
  Command: 'sleep 300',
  State: 'running',
  Status: 'Up 1 second',
  Created: 1,
  Mounts: [{ Type: 'volume', Name: 'vol', Source: '/var/lib/docker/volumes/vol/_data', Destination: '/data', RW: true }],
};
const volume = { Name: 'vol', Driver: 'local', Mountpoint: '/var/lib/docker/volumes/vol/_data' };

function scriptedEngine() {
  const events = new PassThrough();
  /** holdVolumes: volume lists wait in `heldVolumes` until the test answers them. */
  const state = { containers: [container] as unknown[], holdVolumes: false, heldVolumes: [] as ((v: unknown) => void)[] };
  const docker = {
    getEvents: async () => events,
    listContainers: async () => state.containers,
    listImages: async () => [],
    listNetworks: async () => [],
    listVolumes: () => (state.holdVolumes ? new Promise((resolve) => state.heldVolumes.push(resolve)) : Promise.resolve({ Volumes: [volume] })),
  } as unknown as Docker;
  const source = Object.assign(new EventEmitter(), { docker, status: () => ({ engine: { ready: true } }) }) as unknown as EngineSource;
  const send = (ev: object) => events.write(JSON.stringify(ev) + '\n');
  return { source, state, send };
}

describe('EngineModel: who uses a volume', () => {
  it('a volume list that answers after its user was removed does not bring the user back', async () => {
    const { source, state, send } = scriptedEngine();
    const model = new EngineModel(source);
    await vi.waitFor(() => expect(model.volumes.get('vol')?.usedBy).toEqual(['voluser']));

    // docker rm -f: the volume is unmounted (a re-list that will answer late), then the container is destroyed.
    state.holdVolumes = true;
    send({ Type: 'volume', Action: 'unmount', Actor: { ID: 'vol' } });
    await vi.waitFor(() => expect(state.heldVolumes).toHaveLength(1));
    state.containers = [];
    send({ Type: 'container', Action: 'destroy', Actor: { ID: 'c1' } });
    await vi.waitFor(() => expect(model.containers.get('c1')).toBeUndefined());
    state.heldVolumes[0]({ Volumes: [volume] });

    await new Promise((r) => setTimeout(r, 50));
    expect(model.volumes.get('vol')?.usedBy).toEqual([]);
  });
});
