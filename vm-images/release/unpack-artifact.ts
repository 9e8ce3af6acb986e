import fs from 'node:fs';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDecoder } from './codec';
import { ImageReleaseError, errorMessage } from './errors';
import type { ReleaseArtifact } from './format';
import { Tally, megabytes } from './tally';

/**
 * Decompresses one artifact into `dest` while it streams in, and proves it matches the manifest: the compressed
 * bytes (size and sha256), then the decompressed ones. Nothing is buffered whole.
 *
 * A decoder failure does not stop the reading: the rest of the input is still hashed, so a flipped byte is
 * reported as "sha256 X, expected Y" (what a person can compare) rather than as zlib's "invalid block type".
 * The caller owns `dest`'s directory and deletes it on failure.
 */
export async function unpackArtifact(input: AsyncIterable<Buffer>, artifact: ReleaseArtifact, dest: string,
  onBytes: (compressedBytes: number) => void): Promise<void> {
  const packed = artifact.compressed;
  const packedTally = new Tally();
  const plainTally = new Tally();
  const decoder = createDecoder(artifact.compression);
  const corruption: { error?: Error } = {};
  decoder.on('error', (err) => { corruption.error ??= err; });
  // A decompression bomb (or a wrong manifest) must not fill the disk: stop at the size the manifest promises.
  const plainCounter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      plainTally.add(chunk);
      if (plainTally.bytes <= artifact.bytes) return done(null, chunk);
      corruption.error ??= new Error(`decompresses to more than ${artifact.bytes} bytes`);
      done(corruption.error);
    },
  });
  const out = fs.createWriteStream(dest, { flags: 'wx', mode: 0o644 });
  let diskError: Error | undefined;
  out.on('error', (err) => { if (err !== corruption.error) diskError ??= err; });
  const written = pipeline(decoder, plainCounter, out).then(() => undefined, (err: Error) => err);

  try {
    for await (const chunk of input) {
      packedTally.add(chunk);
      onBytes(packedTally.bytes);
      if (diskError) break;
      // Longer than promised: stop downloading; the size check below reports it.
      if (packedTally.bytes > packed.bytes) break;
      if (!decoder.destroyed && !decoder.write(chunk)) await drainedOrClosed(decoder);
    }
  } catch (err) {
    decoder.destroy();
    await written;
    throw new ImageReleaseError('download',
      `${artifact.name}: reading ${packed.file} failed after ${megabytes(packedTally.bytes)} of ` +
        `${megabytes(packed.bytes)} MB: ${errorMessage(err)}`, undefined, { cause: err });
  }
  if (diskError) {
    decoder.destroy();
    await written;
    throw diskError;
  }
  if (!decoder.destroyed) decoder.end();
  const outputError = await written;
  if (diskError) throw diskError;

  const corrupt = (what: string): never => {
    throw new ImageReleaseError('corrupt', `${artifact.name}: ${what}`);
  };
  if (packedTally.bytes !== packed.bytes) {
    corrupt(`${packed.file} ${packedTally.bytes < packed.bytes ? 'was cut short' : 'is too long'}: ` +
      `expected ${packed.bytes} bytes, got ${packedTally.bytes}${packedTally.bytes > packed.bytes ? ' or more' : ''}`);
  }
  const packedSha = packedTally.sha256();
  if (packedSha !== packed.sha256) corrupt(`${packed.file} is corrupt: expected sha256 ${packed.sha256}, got ${packedSha}`);
  // The compressed file is the one the release was made with, so what follows means a bad release, not transit.
  if (outputError) corrupt(`${packed.file} does not decompress: ${errorMessage(outputError)}`);
  if (plainTally.bytes !== artifact.bytes) {
    corrupt(`${artifact.file} decompressed to ${plainTally.bytes} bytes, expected ${artifact.bytes}`);
  }
  const plainSha = plainTally.sha256();
  if (plainSha !== artifact.sha256) corrupt(`${artifact.file} is corrupt: expected sha256 ${artifact.sha256}, got ${plainSha}`);
}

function drainedOrClosed(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
