import { engineCommands } from '../engine/cli';
import { doctorCommand } from '../host/doctor-command';

/** A CLI command: takes its arguments, returns the process exit code. */
export type Command = (args: string[]) => Promise<number>;

/**
 * Commands contributed by the domains (VM, engine, ...): name -> implementation. Kept apart from main.ts so
 * each domain adds its commands with a one-line import here.
 */
export const commands: Record<string, Command> = {
  ...engineCommands,
  doctor: doctorCommand,
};
