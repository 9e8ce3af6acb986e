/** Command-line switches main passes to the sandboxed preload (it has no other way to learn them at load). */
export const PRELOAD_ARGS = { agentUrl: '--berth-agent-url=', token: '--berth-token=' } as const;

export function readPreloadArgs(argv: readonly string[]): { agentUrl: string; token: string } {
  const find = (prefix: string) => argv.find((a) => a.startsWith(prefix))?.slice(prefix.length) ?? '';
  const agentUrl = find(PRELOAD_ARGS.agentUrl);
  const token = find(PRELOAD_ARGS.token);
  if (!/^ws:\/\/127\.0\.0\.1:\d+\/rpc$/.test(agentUrl)) throw new Error('Berth: invalid agent URL from main');
  return { agentUrl, token };
}
