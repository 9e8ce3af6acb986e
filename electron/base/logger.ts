import fs from 'node:fs';
import path from 'node:path';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Timestamped lines to stderr and to logs/agent.log, which the Troubleshoot view and bug reports read. */
export function createLogger(logDir: string, echo = true): Logger {
  fs.mkdirSync(logDir, { recursive: true, mode: 0o700 });
  const file = fs.createWriteStream(path.join(logDir, 'agent.log'), { flags: 'a', mode: 0o600 });
  file.on('error', () => {});
  const write = (level: string, message: string) => {
    const line = `${new Date().toISOString()} ${level} ${message}\n`;
    file.write(line);
    if (echo) process.stderr.write(line);
  };
  return {
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
  };
}
