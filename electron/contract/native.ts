import { z } from 'zod';

/**
 * The small typed IPC between the renderer (through the preload) and Electron main: only what needs the
 * desktop (notifications, opening links in the user's browser, save dialogs). Everything about containers and
 * the VM goes through the agent's protocol instead. Main validates every message with these schemas.
 */
export const nativeIpc = {
  notify: {
    channel: 'berth:notify',
    request: z.object({ title: z.string().min(1).max(200), body: z.string().max(2000) }).strict(),
  },
  openExternal: {
    channel: 'berth:open-external',
    // Only web links: a file:// or custom-scheme URL from a compromised page could launch local programs.
    request: z
      .object({
        url: z
          .string()
          .max(4096)
          .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), 'only http(s) URLs can be opened'),
      })
      .strict(),
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
} as const;

export type NativeRequest<K extends keyof typeof nativeIpc> = z.input<(typeof nativeIpc)[K]['request']>;

/** What the preload exposes to the page as `window.berth`. */
export interface BerthBridge {
  /** ws:// URL of the agent's protocol endpoint. */
  agentUrl: string;
  token: string;
  notify(request: NativeRequest<'notify'>): Promise<void>;
  openExternal(request: NativeRequest<'openExternal'>): Promise<void>;
  /** Resolves to the path written, or null when the user cancelled. */
  saveFile(request: NativeRequest<'saveFile'>): Promise<string | null>;
}
