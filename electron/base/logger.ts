import fs from 'node:fs';
import path from 'node:path';
import { RotatingFile } from './rotating-file';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface LoggerOptions {
  /** Also write each line to stderr (a foreground agent); off when stderr is itself a log file. */
  echo?: boolean;
  /** agent.log rotates to agent.log.1 at this size. */
  maxBytes?: number;
}

/** Where agent.log rotates: a few days of a busy agent, small enough to attach to a bug report. */
export const AGENT_LOG_MAX_BYTES = 4 * 1024 * 1024;

/** The longest line one message writes: a runaway message (a giant error, a flood of input) stays one line. */
export const MAX_LOG_LINE_CHARS = 16 * 1024;

/**
 * Timestamped lines to stderr and to logs/agent.log, which the Troubleshoot view and bug reports read. The file
 * rotates by size (agent.log + agent.log.1), so no client, however many requests it sends, can fill the disk.
 */
export function createLogger(logDir: string, options: LoggerOptions = {}): Logger {
  const { echo = true, maxBytes = AGENT_LOG_MAX_BYTES } = options;
  fs.mkdirSync(logDir, { recursive: true, mode: 0o700 });
  const file = new RotatingFile(path.join(logDir, 'agent.log'), maxBytes);
  const write = (level: string, message: string) => {
    const text = message.length > MAX_LOG_LINE_CHARS ? `${message.slice(0, MAX_LOG_LINE_CHARS)}… (${message.length} chars)` : message;
    const line = `${new Date().toISOString()} ${level} ${text}\n`;
    try {
      file.append(line);
    } catch {
      // A full disk or a removed log folder must not take the agent down with it.
    }
    if (echo) process.stderr.write(line);
  };
  return {
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
  };
}
