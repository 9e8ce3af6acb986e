import { AgentAlreadyRunning } from '../agent/control-socket';
import { startAgent } from '../agent/agent';
import { berthPaths } from '../base/paths';
import { BerthError } from '../base/errors';
import { ensureAgent, LOG_ECHO_ENV } from '../agent/client';
import { BOOT_ENV } from '../agent/launch';
import { createLogger } from '../base/logger';
import { ensureRendererBuilt } from './renderer-build';
import { commands, type Command } from './commands';

const USAGE = `Usage: berth <command>

  start           start Berth (agent and VM) and wait until the engine answers
  stop            stop the VM cleanly and the agent
  restart         stop the VM cleanly and boot it again (settings changes apply)
  status          show the agent, VM, engine and forwarded ports (--json)
  logs            show the VM console log (-n LINES, -f to follow)
  settings        show the settings; \`berth settings set cpus=2 memoryMiB=4096\` changes them
  df              disk usage: images, containers, volumes, build cache, the data disk on the host
  prune           \`prune containers|images|volumes|build-cache [--all] [--yes]\`: preview, then remove
  reclaim         give space freed in the VM back to the host now
  saver           Resource Saver: \`saver status\`, \`saver pause\` (pause the VM now), \`saver wake\`
  diagnose        write a diagnostics .tar.gz (no keys, token or passwords): \`diagnose [--out FILE]\`
  reset           factory reset: delete the data disk, settings and logins (\`reset --yes\`)
  doctor          check the host's prerequisites (--fix installs what is missing, --json)
  reset-host-key  forget the VM's pinned SSH host key (after a deliberate guest rebuild)
  web             open Berth in a browser: prints the URL of the UI
  agent           run the agent in the foreground (started for you by the other commands)
`;

const paths = berthPaths();

const builtin: Record<string, Command> = {
  async agent() {
    try {
      // Started in the background, stderr is agent-stdio.log: echoing there would keep a second, unrotated copy.
      const logger = createLogger(paths.logs, { echo: process.env[LOG_ECHO_ENV] !== '0' });
      // Read once and dropped, so that nothing this agent runs (QEMU, the docker CLI) inherits it.
      const bootAtLaunch = process.env[BOOT_ENV] === '1';
      delete process.env[BOOT_ENV];
      const agent = await startAgent({ paths, logger, bootAtLaunch });
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void agent.stop());
      await agent.stopped;
      return 0;
    } catch (err) {
      if (err instanceof AgentAlreadyRunning) {
        console.error('A Berth agent is already running; this one exits. (`berth status` talks to it.)');
        return 0;
      }
      throw err;
    }
  },

  async web() {
    ensureRendererBuilt((line) => console.error(line));
    const client = await ensureAgent(paths);
    const info = await client.call('agent.info', {});
    client.close();
    if (!info.uiUrl) throw new BerthError('unavailable', 'The agent is not serving the UI', `See ${paths.logs}/agent.log.`);
    console.log(`Berth is running at ${info.uiUrl}`);
    return 0;
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(USAGE);
    return name ? 0 : 1;
  }
  const command = commands[name] ?? builtin[name];
  if (!command) {
    console.error(`berth: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  return command(args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof BerthError) {
      console.error(`berth: ${err.message}`);
      if (err.hint) console.error(`  ${err.hint}`);
    } else {
      console.error(err);
    }
    process.exit(1);
  },
);
