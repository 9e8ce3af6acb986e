import { stripAnsi } from '../../components/ansi';
import { useStatus } from '../../stores/status';
import { useVmControl } from '../../stores/vm-control';
import { VmControls } from '../../app/VmControls';
import { ErrorNote } from '../../components/ErrorNote';
import { dismissVmError } from '../../stores/vm-control';

/** The VM's state as the status stream has it: boot stages while starting; reason, hint and console when failed. */
export function VmSection() {
  const vm = useStatus((s) => s.status?.vm);
  const engine = useStatus((s) => s.status?.engine);
  const control = useVmControl();
  return (
    <div className="section" aria-label="The VM">
      <h2 style={{ fontSize: 14 }}>The VM</h2>
      {vm ? (
        <>
          <p data-testid="ts-vm-state">
            {vm.state === 'starting'
              ? `Starting: ${vm.stage} (${vm.percent}%)${vm.detail ? `, ${vm.detail}` : ''}`
              : vm.state === 'running'
                ? `Running on ${vm.accel}`
                : vm.state === 'error'
                  ? `Failed: ${vm.reason}`
                  : vm.state === 'stopping'
                    ? 'Stopping…'
                    : control.busy === 'restart' && control.progress
                      ? `Restarting: ${control.progress.stage}`
                      : 'Stopped'}
            {engine?.state === 'ready' ? ` — engine ${engine.version}` : ''}
          </p>
          {vm.state === 'starting' ? <progress max={100} value={vm.percent} aria-label="Boot progress" /> : null}
          {vm.state === 'error' ? (
            <>
              {vm.hint ? <p className="hint">{vm.hint}</p> : null}
              {vm.lastConsoleLines.length ? (
                <pre className="raw" aria-label="Last console lines">
                  {stripAnsi(vm.lastConsoleLines.join('\n'))}
                </pre>
              ) : null}
            </>
          ) : null}
          <VmControls />
          <ErrorNote error={control.error} onDismiss={dismissVmError} />
        </>
      ) : (
        <p className="muted">Waiting for the agent…</p>
      )}
    </div>
  );
}
