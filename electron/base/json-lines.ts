/**
 * Docker's streaming endpoints (events, stats, pull/push progress) send one JSON document per line, split
 * across chunks at arbitrary points. Calls `onValue` for each complete document, in order. A line that is not
 * JSON is skipped: these streams are advisory, and each consumer repairs itself on its next full read.
 */
export function onJsonLines<T>(stream: NodeJS.ReadableStream, onValue: (value: T) => void): void {
  let buffered = '';
  stream.on('data', (chunk: Buffer | string) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (!line) continue;
      let value: T;
      try {
        value = JSON.parse(line) as T;
      } catch {
        continue;
      }
      onValue(value);
    }
  });
}
