/**
 * A `berth start` broken down from the agent's log (electron/agent/routes/vm.ts writes the marks), so that
 * bench:engine can say how much of the user's wait is the guest's own boot and how much the host adds.
 */
export interface StartTimeline {
  /** ms from the CLI's launch to each mark; null when the log lacks it. */
  agentListening: number | null;
  qemuSpawned: number | null;
  guestEngineReady: number | null;
  hostEngineReady: number | null;
  cliDone: number;
}

const MARKS: [keyof Omit<StartTimeline, 'cliDone'>, RegExp][] = [
  ['agentListening', /^info agent \d+ listening/],
  // The last one counts: a failed accelerator probe spawns QEMU once more on TCG.
  ['qemuSpawned', /^info vm starting hypervisor$/],
  ['guestEngineReady', /^info (?:vm starting|guest stage) engine-ready$/],
  ['hostEngineReady', /^info engine ready/],
];

/** Reads the marks out of the log text written during one start (launchedAt and doneAt: epoch ms). */
export function startTimeline(logText: string, launchedAt: number, doneAt: number): StartTimeline {
  const t: StartTimeline = { agentListening: null, qemuSpawned: null, guestEngineReady: null, hostEngineReady: null, cliDone: doneAt - launchedAt };
  for (const line of logText.split('\n')) {
    const m = /^(\S+Z) (.*)$/.exec(line);
    if (!m) continue;
    const at = Date.parse(m[1]) - launchedAt;
    for (const [key, re] of MARKS) {
      if (!re.test(m[2])) continue;
      // First engine answer only; QEMU's spawn may repeat (the probe), the last before the guest's boot wins.
      if (key === 'qemuSpawned' ? t.guestEngineReady === null : t[key] === null) t[key] = at;
    }
  }
  return t;
}

export interface StartBreakdownRow {
  part: string;
  ms: number | null;
  /** A part the host adds to the guest's own boot (summed); false: the guest's boot itself. */
  host: boolean;
  /** A moment shown for insight, not a part of the sum (the agent may listen after QEMU's spawn). */
  mark?: boolean;
}

const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a);

/**
 * The parts of a start, in order; `host` marks the ones the host adds to the guest's own boot. The agent begins
 * the boot while it is still starting (a `berth start` launched it), so its listening is a mark, not a part.
 */
export function startBreakdown(t: StartTimeline): StartBreakdownRow[] {
  return [
    { part: 'CLI launch until QEMU is spawned (node twice, modules, settings, image lookup, disk, accelerator)', ms: t.qemuSpawned, host: true },
    { part: '(mark: the agent listening, from the CLI launch)', ms: t.agentListening, host: true, mark: true },
    { part: "guest's own boot: QEMU start to its engine ready", ms: diff(t.qemuSpawned, t.guestEngineReady), host: false },
    { part: 'engine ready in the guest until the host has it (SSH, ping)', ms: diff(t.guestEngineReady, t.hostEngineReady), host: true },
    { part: 'host socket, context and the CLI returning', ms: diff(t.hostEngineReady, t.cliDone), host: true },
  ];
}
