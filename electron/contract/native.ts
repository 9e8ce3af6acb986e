import { z } from 'zod';

/**
 * The small typed IPC between the renderer (through the preload) and Electron main: only what needs the
 * desktop (notifications, opening links in the user's browser, save dialogs). Everything about containers and
 * the VM goes through the agent's protocol instead. Main validates every message with these schemas.
 */
/**
 * Links Berth hands to the user's browser: http(s) only. A file:// or custom-scheme URL from a compromised page
 * could launch local programs. Used by the openExternal schema and by main's window-open handler alike.
 */
export function isExternalWebUrl(url: string): boolean {
  return /^https?:\/\//i.test(url) && URL.canParse(url);
}

export const nativeIpc = {
  /**
   * Where the page finds the agent, and its token. Asked for by the preload over IPC (main answers only Berth's
   * own page): a command-line switch would show the token to every local user in /proc/PID/cmdline.
   */
  agentEndpoint: {
    channel: 'berth:agent-endpoint',
    request: z.object({}).strict(),
    /** What main answers; the preload checks it before the page sees it. */
    reply: z
      .object({
        agentUrl: z.string().regex(/^ws:\/\/127\.0\.0\.1:\d{1,5}\/rpc$/, 'the agent on loopback'),
        token: z.string().regex(/^[A-Za-z0-9_-]{32,256}$/, 'a base64url token'),
      })
      .strict(),
  },
  notify: {
    channel: 'berth:notify',
    request: z.object({ title: z.string().min(1).max(200), body: z.string().max(2000) }).strict(),
  },
  openExternal: {
    channel: 'berth:open-external',
    request: z.object({ url: z.string().max(4096).refine(isExternalWebUrl, 'only http(s) URLs can be opened') }).strict(),
  },
  saveFile: {
    channel: 'berth:save-file',
    request: z
      .object({
        defaultName: z
          .string()
          .min(1)
          .max(255)
          .refine((n) => !/[/\\]/.test(n), 'a file name, not a path'),
        content: z.string().max(256 * 1024 * 1024),
        /** base64: content is binary (a diagnostics .tar.gz) and is decoded before writing. */
        encoding: z.enum(['utf8', 'base64']).optional(),
      })
      .strict(),
  },
  /** A folder chosen in the desktop's own picker (Settings > Shared folders); null when the user cancelled. */
  pickFolder: {
    channel: 'berth:pick-folder',
    request: z.object({ title: z.string().min(1).max(200) }).strict(),
    reply: z.string().startsWith('/').max(4096).nullable(),
  },
} as const;

export type NativeRequest<K extends keyof typeof nativeIpc> = z.input<(typeof nativeIpc)[K]['request']>;

/** What the preload exposes to the page as `window.berth`. */
export type AgentEndpoint = z.output<typeof nativeIpc.agentEndpoint.reply>;

export interface BerthBridge {
  /** The agent's protocol endpoint (`ws://127.0.0.1:PORT/rpc`) and its token, from main. */
  agentEndpoint(): Promise<AgentEndpoint>;
  notify(request: NativeRequest<'notify'>): Promise<void>;
  openExternal(request: NativeRequest<'openExternal'>): Promise<void>;
  /** Resolves to the path written, or null when the user cancelled. */
  saveFile(request: NativeRequest<'saveFile'>): Promise<string | null>;
  /** The absolute path of the folder the user picked, or null when cancelled. */
  pickFolder(request: NativeRequest<'pickFolder'>): Promise<string | null>;
}
