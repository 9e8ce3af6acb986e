import type { BuildEvent } from '../contract/build';

/** One JSON line of the classic builder's /build stream. */
export interface BuildLine {
  stream?: string;
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  /** The image id (`{ID}`), or with BuildKit's `moby.buildkit.trace` id a base64 protobuf status. */
  aux?: { ID?: string } | string;
  error?: string;
  errorDetail?: { message?: string };
}

const STEP = /^Step (\d+)\/(\d+) : (.*)$/;

/**
 * Turns the classic builder's lines into build events: "Step N/M : INSTRUCTION" starts a step, the text after
 * it is that step's output, an error line fails the step that was running (so the UI can mark it), aux.ID is
 * the image built.
 */
export class BuildOutputParser {
  private step = 0;
  private instruction: string | undefined;
  private partial = '';
  imageId: string | null = null;
  failure: { step: number; instruction?: string; message: string } | null = null;

  feed(line: BuildLine): BuildEvent[] {
    const events: BuildEvent[] = [];
    if (line.stream !== undefined) {
      // A stream chunk may end mid-line (a RUN's output without a newline); keep the rest for the next chunk.
      const text = this.partial + line.stream;
      const lines = text.split('\n');
      this.partial = lines.pop() ?? '';
      for (const l of lines) this.text(l.replace(/\r$/, ''), events);
    }
    if (line.status && !line.progressDetail?.total) {
      events.push({ kind: 'output', step: this.step, text: line.id ? `${line.id}: ${line.status}` : line.status });
    }
    if (typeof line.aux === 'object' && line.aux.ID) this.imageId = line.aux.ID;
    if (line.error || line.errorDetail?.message) {
      this.flush(events);
      const message = (line.errorDetail?.message ?? line.error ?? '').trim();
      this.failure = { step: this.step, ...(this.instruction ? { instruction: this.instruction } : {}), message };
      events.push({ kind: 'failed', ...this.failure });
    }
    return events;
  }

  /** Whatever output is still without its newline. */
  flush(events: BuildEvent[] = []): BuildEvent[] {
    if (this.partial) this.text(this.partial, events);
    this.partial = '';
    return events;
  }

  private text(l: string, events: BuildEvent[]): void {
    const m = STEP.exec(l);
    if (m) {
      this.step = Number(m[1]);
      this.instruction = m[3];
      events.push({ kind: 'step', step: this.step, total: Number(m[2]), instruction: m[3] });
    } else if (l.trim()) {
      events.push({ kind: 'output', step: this.step, text: l });
    }
  }
}
