import { describe, expect, it } from 'vitest';
import { readPreloadArgs } from './preload-args';

describe('preload arguments', () => {
  it('reads the agent URL handed to the preload and rejects anything else', () => {
    const argv = ['electron', '--berth-agent-url=ws://127.0.0.1:4312/rpc', '--berth-token=abc'];
    expect(readPreloadArgs(argv)).toEqual({ agentUrl: 'ws://127.0.0.1:4312/rpc', token: 'abc' });
    expect(() => readPreloadArgs(['--berth-agent-url=ws://evil.example/rpc', '--berth-token=abc'])).toThrow();
  });
});
