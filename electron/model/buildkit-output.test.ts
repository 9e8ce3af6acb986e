import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { BuildkitOutputParser } from './buildkit-output';
import { credentialsFor } from './buildkit-session';

// Encodes status messages the way the engine does (field numbers of moby.buildkit.v1.StatusResponse), so the
// parser is fed real protobuf bytes.
const root = protobuf.parse(`
syntax = "proto3";
message Ts { int64 seconds = 1; int32 nanos = 2; }
message V { string digest = 1; repeated string inputs = 2; string name = 3; bool cached = 4; Ts started = 5; Ts completed = 6; string error = 7; }
message S { string ID = 1; string vertex = 2; string name = 3; int64 current = 4; int64 total = 5; Ts timestamp = 6; Ts started = 7; Ts completed = 8; }
message L { string vertex = 1; Ts timestamp = 2; int64 stream = 3; bytes msg = 4; }
message R { repeated V vertexes = 1; repeated S statuses = 2; repeated L logs = 3; }
`).root;
const R = root.lookupType('R');
const ts = { seconds: 1796062583, nanos: 5 };
const trace = (msg: object) => ({ id: 'moby.buildkit.trace', aux: Buffer.from(R.encode(R.fromObject(msg)).finish()).toString('base64') });

describe('BuildkitOutputParser', () => {
  it('numbers vertices as they start, splits their logs into lines and reports each end', () => {
    const p = new BuildkitOutputParser();
    // Announced but not started: nothing yet.
    expect(p.feed(trace({ vertexes: [{ digest: 'sha256:b', name: '[2/2] RUN make' }] }))).toEqual([]);
    expect(p.feed(trace({ vertexes: [{ digest: 'sha256:a', name: '[1/2] FROM base', started: ts, completed: ts, cached: true }] }))).toEqual([
      { kind: 'step', step: 1, instruction: '[1/2] FROM base' },
      { kind: 'step-done', step: 1, cached: true },
    ]);
    const events = [
      ...p.feed(trace({ vertexes: [{ digest: 'sha256:b', name: '[2/2] RUN make', started: ts }] })),
      ...p.feed(trace({ logs: [{ vertex: 'sha256:b', msg: Buffer.from('compiling\nhalf a ') }] })),
      ...p.feed(trace({ logs: [{ vertex: 'sha256:b', msg: Buffer.from('line\n10%\r55%\r100%\n') }] })),
      ...p.feed(trace({ statuses: [{ ID: 'transferring context', vertex: 'sha256:b', current: 2048, completed: ts }] })),
      ...p.feed(trace({ vertexes: [{ digest: 'sha256:b', name: '[2/2] RUN make', started: ts, completed: ts }] })),
      ...p.feed({ id: 'moby.image.id', aux: { ID: 'sha256:img' } }),
    ];
    expect(events).toEqual([
      { kind: 'step', step: 2, instruction: '[2/2] RUN make' },
      { kind: 'output', step: 2, text: 'compiling' },
      { kind: 'output', step: 2, text: 'half a line' },
      { kind: 'output', step: 2, text: '100%' },
      { kind: 'output', step: 2, text: 'transferring context (2.0 kB) done' },
      { kind: 'step-done', step: 2, cached: false },
    ]);
    expect(p.imageId).toBe('sha256:img');
    expect(p.failure).toBeNull();
  });

  it('a failed vertex is the failure; steps cancelled because of it are not', () => {
    const p = new BuildkitOutputParser();
    const events = [
      ...p.feed(trace({ vertexes: [{ digest: 'x', name: '[a 2/2] RUN exit 3', started: ts, completed: ts, error: 'process "/bin/sh -c exit 3" did not complete successfully: exit code: 3' }] })),
      ...p.feed(trace({ vertexes: [{ digest: 'y', name: '[b 2/2] RUN sleep 9', started: ts, completed: ts, error: 'context canceled' }] })),
      ...p.feed({ errorDetail: { message: 'failed to solve: exit code: 3' }, error: 'failed to solve: exit code: 3' }),
    ];
    expect(events.filter((e) => e.kind === 'failed')).toEqual([
      { kind: 'failed', step: 1, instruction: '[a 2/2] RUN exit 3', message: 'process "/bin/sh -c exit 3" did not complete successfully: exit code: 3' },
    ]);
    expect(p.failure).toMatchObject({ step: 1, instruction: '[a 2/2] RUN exit 3' });
  });

  it('an error no vertex carries (a Dockerfile that does not parse) fails before the first step', () => {
    const p = new BuildkitOutputParser();
    expect(p.feed({ errorDetail: { message: 'dockerfile parse error on line 2: unknown instruction: RUNN' } })).toEqual([
      { kind: 'failed', step: 0, message: 'dockerfile parse error on line 2: unknown instruction: RUNN' },
    ]);
  });
});

describe('credentialsFor (the build session answering BuildKit)', () => {
  const logins = [
    { serveraddress: 'https://index.docker.io/v1/', username: 'hubber', password: 'hub-secret' },
    { serveraddress: '10.0.2.2:5000', username: 'local', password: 'local-secret' },
  ];
  it('answers with the stored login of the host asked about, Hub under any of its names', () => {
    expect(credentialsFor('registry-1.docker.io', logins)).toEqual({ Username: 'hubber', Secret: 'hub-secret' });
    expect(credentialsFor('10.0.2.2:5000', logins)).toEqual({ Username: 'local', Secret: 'local-secret' });
  });
  it('answers anonymous for any other host', () => {
    expect(credentialsFor('ghcr.io', logins)).toEqual({ Username: '', Secret: '' });
    expect(credentialsFor('not a host', logins)).toEqual({ Username: '', Secret: '' });
  });
});
