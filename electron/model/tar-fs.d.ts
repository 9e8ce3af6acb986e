/** The part of tar-fs 2 that Berth uses (the package ships no types; @types/tar-fs is not installed here). */
declare module 'tar-fs' {
  import type { Readable } from 'node:stream';
  export interface PackOptions {
    /** Paths relative to the folder to pack; a directory listed is packed with everything inside it. */
    entries?: string[];
    /** Follow symlinks instead of packing them as links. */
    dereference?: boolean;
  }
  export function pack(cwd: string, opts?: PackOptions): Readable;
}
