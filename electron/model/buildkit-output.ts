/**
 * Turns the engine's BuildKit /build stream into build events. BuildKit reports a graph, not numbered steps:
 * each `moby.buildkit.trace` line carries a base64 protobuf StatusResponse (moby.buildkit.v1, control.proto)
 * with vertices (one per instruction or internal step, named like "[stage-1 2/3] RUN make"), their logs and
 * their transfers. Vertices may run in parallel, so each one is numbered in the order it starts and reports its
 * own end (done, cached or failed); `moby.image.id` names the image built; an error line ends a failed build.
 */
import type * as protobufModule from 'protobufjs';
import { lazyPackage } from '../base/lazy-package';
import type { BuildEvent } from '../contract/build';
import type { BuildLine } from './build-output';

/** Loaded by the first build, not by every start of the agent. */
const protobuf = lazyPackage<typeof protobufModule>('protobufjs');

const TIMESTAMP = { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } };
// The fields of moby.buildkit.v1.StatusResponse that Berth shows (others are skipped by the decoder).
const STATUS_PROTO: protobufModule.INamespace = {
  nested: {
    Timestamp: TIMESTAMP,
    StatusResponse: {
      fields: {
        vertexes: { rule: 'repeated', type: 'Vertex', id: 1 },
        statuses: { rule: 'repeated', type: 'VertexStatus', id: 2 },
        logs: { rule: 'repeated', type: 'VertexLog', id: 3 },
      },
    },
    Vertex: {
      fields: {
        digest: { type: 'string', id: 1 },
        name: { type: 'string', id: 3 },
        cached: { type: 'bool', id: 4 },
        started: { type: 'Timestamp', id: 5 },
        completed: { type: 'Timestamp', id: 6 },
        error: { type: 'string', id: 7 },
      },
    },
    VertexStatus: {
      fields: {
        ID: { type: 'string', id: 1 },
        vertex: { type: 'string', id: 2 },
        name: { type: 'string', id: 3 },
        current: { type: 'int64', id: 4 },
        total: { type: 'int64', id: 5 },
        completed: { type: 'Timestamp', id: 8 },
      },
    },
    VertexLog: { fields: { vertex: { type: 'string', id: 1 }, msg: { type: 'bytes', id: 4 } } },
  },
};

interface Vertex { digest: string; name: string; cached: boolean; started?: object | null; completed?: object | null; error: string }
interface VertexStatus { ID: string; vertex: string; name: string; current: number; total: number; completed?: object | null }
interface StatusResponse { vertexes: Vertex[]; statuses: VertexStatus[]; logs: { vertex: string; msg: Uint8Array }[] }

let statusType: protobufModule.Type | null = null;
export function decodeStatus(base64: string): StatusResponse {
  statusType ??= protobuf().Root.fromJSON(STATUS_PROTO).lookupType('StatusResponse');
  const message = statusType.decode(Buffer.from(base64, 'base64'));
  return statusType.toObject(message, { longs: Number, defaults: true, arrays: true }) as StatusResponse;
}

/** A vertex that ends with this was stopped because another one failed; it is not the cause. */
const CANCELLED = /^(context canceled|canceled)$/i;

interface StepState { step: number; name: string; ended: boolean; partial: string }

export class BuildkitOutputParser {
  private readonly steps = new Map<string, StepState>();
  private readonly statusesDone = new Set<string>();
  imageId: string | null = null;
  failure: { step: number; instruction?: string; message: string } | null = null;

  feed(line: BuildLine): BuildEvent[] {
    const events: BuildEvent[] = [];
    if (line.id === 'moby.buildkit.trace' && typeof line.aux === 'string') this.status(decodeStatus(line.aux), events);
    else if (line.id === 'moby.image.id' && typeof line.aux === 'object' && line.aux.ID) this.imageId = line.aux.ID;
    else if (line.stream?.trim()) events.push({ kind: 'output', step: 0, text: line.stream.trimEnd() });
    if (line.error || line.errorDetail?.message) {
      const message = (line.errorDetail?.message ?? line.error ?? '').trim();
      // When a vertex failed, it was reported with its own message; an error no vertex carries (a Dockerfile
      // that does not parse, a missing stage) comes only here.
      if (!this.failure) {
        this.failure = { step: 0, message };
        events.push({ kind: 'failed', ...this.failure });
      }
    }
    return events;
  }

  flush(events: BuildEvent[] = []): BuildEvent[] {
    for (const s of this.steps.values()) {
      if (s.partial) events.push({ kind: 'output', step: s.step, text: s.partial });
      s.partial = '';
    }
    return events;
  }

  private status(res: StatusResponse, events: BuildEvent[]): void {
    for (const v of res.vertexes) {
      if (!v.started && !v.completed && !v.cached) continue; // announced, not running yet
      const s = this.stepOf(v.digest, v.name, events);
      if (!v.completed || s.ended) continue;
      s.ended = true;
      this.flushStep(s, events);
      if (v.error && !CANCELLED.test(v.error)) {
        if (!this.failure) this.failure = { step: s.step, instruction: s.name, message: v.error };
        events.push({ kind: 'failed', step: s.step, instruction: s.name, message: v.error });
      } else {
        events.push({ kind: 'step-done', step: s.step, cached: v.cached });
      }
    }
    for (const st of res.statuses) {
      const key = `${st.vertex}\0${st.ID}`;
      if (!st.completed || this.statusesDone.has(key)) continue;
      this.statusesDone.add(key);
      const size = st.total || st.current;
      const s = this.stepOf(st.vertex, '', events);
      events.push({ kind: 'output', step: s.step, text: `${st.name || st.ID}${size ? ` (${formatSize(size)})` : ''} done` });
    }
    for (const log of res.logs) {
      const s = this.stepOf(log.vertex, '', events);
      const lines = (s.partial + Buffer.from(log.msg).toString('utf8')).split('\n');
      s.partial = lines.pop() ?? '';
      for (const l of lines) {
        // A progress bar redraws its line with \r: what it last drew is the line.
        const text = l.slice(l.lastIndexOf('\r', l.length - 2) + 1).replace(/\r$/, '');
        if (text.trim()) events.push({ kind: 'output', step: s.step, text });
      }
    }
  }

  private stepOf(digest: string, name: string, events: BuildEvent[]): StepState {
    let s = this.steps.get(digest);
    if (!s) {
      s = { step: this.steps.size + 1, name: name || digest.slice(0, 19), ended: false, partial: '' };
      this.steps.set(digest, s);
      events.push({ kind: 'step', step: s.step, instruction: s.name });
    }
    return s;
  }

  private flushStep(s: StepState, events: BuildEvent[]): void {
    if (s.partial.trim()) events.push({ kind: 'output', step: s.step, text: s.partial });
    s.partial = '';
  }
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
