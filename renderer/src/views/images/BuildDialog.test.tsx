// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { BuildDialog } from './BuildDialog';
import { BuildSteps, foldBuildEvents } from './BuildSteps';
import { AgentConnection, setConnection } from '../../connection/connection';
import type { BuildEvent } from '../../../../electron/contract/build';

afterEach(cleanup);

describe('the Build dialog', () => {
  it('says per field what is wrong and keeps Build off until it is right', () => {
    setConnection(new AgentConnection(null));
    render(<BuildDialog onClose={() => undefined} />);
    const build = screen.getByRole('button', { name: 'Build' }) as HTMLButtonElement;
    expect(build.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Folder'), { target: { value: 'project' } });
    fireEvent.change(screen.getByLabelText('Build args (optional)'), { target: { value: 'VERSION=1\nJUST_A_NAME' } });
    fireEvent.change(screen.getByLabelText('Tags (optional)'), { target: { value: 'team/app:1 Bad/Name' } });
    const alerts = screen.getAllByRole('alert').map((a) => a.textContent);
    expect(alerts).toEqual([
      'Give the full path of the folder (starting with /).',
      'Line 2: "JUST_A_NAME" has no value; write JUST_A_NAME=VALUE',
      '"Bad/Name" is not an image name (e.g. team/app:1)',
    ]);
    expect(screen.getByLabelText('Build args (optional)').getAttribute('aria-invalid')).toBe('true');
    expect(build.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Folder'), { target: { value: '/srv/project' } });
    fireEvent.change(screen.getByLabelText('Build args (optional)'), { target: { value: 'VERSION=1' } });
    fireEvent.change(screen.getByLabelText('Tags (optional)'), { target: { value: 'team/app:1' } });
    expect(screen.queryAllByRole('alert')).toEqual([]);
    expect(build.disabled).toBe(false);
  });

  it('offers the folder picker only where the desktop app provides one', () => {
    setConnection(new AgentConnection(null));
    render(<BuildDialog onClose={() => undefined} />);
    expect(screen.queryByRole('button', { name: 'Choose…' })).toBeNull();
  });
});

describe('the build steps', () => {
  const failing: BuildEvent[] = [
    { kind: 'step', step: 1, total: 3, instruction: 'FROM busybox' },
    { kind: 'output', step: 1, text: ' ---> 3f57d9401f8d' },
    { kind: 'step', step: 2, total: 3, instruction: 'RUN make' },
    { kind: 'output', step: 2, text: 'make: *** No rule to make target' },
    { kind: 'failed', step: 2, instruction: 'RUN make', message: "The command '/bin/sh -c make' returned a non-zero code: 2" },
  ];

  it('marks the step that failed, with its own output and the error, and the steps before it as done', () => {
    // Two batches, as the stream delivers them.
    const log = foldBuildEvents(foldBuildEvents({ preamble: [], steps: [], imageId: null }, failing.slice(0, 3)), failing.slice(3));
    render(<BuildSteps log={log} running={false} />);
    const steps = within(screen.getByRole('list', { name: 'Build steps' })).getAllByRole('listitem');
    expect(steps.map((s) => s.getAttribute('aria-label'))).toEqual(['Step 1 of 3: FROM busybox (done)', 'Step 2 of 3: RUN make (failed)']);
    expect(steps[1].className).toContain('failed');
    expect(steps[1].textContent).toContain('make: *** No rule to make target');
    expect(within(steps[1]).getByRole('alert').textContent).toBe("The command '/bin/sh -c make' returned a non-zero code: 2");
  });

  it('shows the newest step as running while the build goes on, and keeps only the tail of a chatty step', () => {
    const chatty: BuildEvent[] = [{ kind: 'step', step: 1, total: 1, instruction: 'RUN seq 1000' }];
    for (let i = 1; i <= 1000; i++) chatty.push({ kind: 'output', step: 1, text: String(i) });
    const log = foldBuildEvents({ preamble: [], steps: [], imageId: null }, chatty, 5);
    render(<BuildSteps log={log} running />);
    const step = screen.getByRole('listitem');
    expect(step.getAttribute('aria-label')).toBe('Step 1 of 1: RUN seq 1000 (running)');
    expect(log.steps[0].output).toHaveLength(400);
    expect(log.steps[0].output[0]).toMatch(/^… \d+ earlier lines not shown$/);
    expect(log.steps[0].output.at(-1)).toBe('1000');
  });

  it('with BuildKit, shows steps running side by side, cached ones as cached, and which builder ran', () => {
    const events: BuildEvent[] = [
      { kind: 'builder', name: 'BuildKit' },
      { kind: 'step', step: 1, instruction: '[base 1/1] FROM busybox' },
      { kind: 'step-done', step: 1, cached: true },
      { kind: 'step', step: 2, instruction: '[web 2/2] RUN npm ci' },
      { kind: 'step', step: 3, instruction: '[api 2/2] RUN go build' },
      { kind: 'step-done', step: 2, cached: false },
    ];
    const log = foldBuildEvents({ preamble: [], steps: [], imageId: null }, events);
    render(<BuildSteps log={log} running />);
    expect(screen.getByText('Built with BuildKit')).toBeTruthy();
    const steps = within(screen.getByRole('list', { name: 'Build steps' })).getAllByRole('listitem');
    expect(steps.map((s) => s.getAttribute('aria-label'))).toEqual([
      'Step 1: [base 1/1] FROM busybox (cached)',
      'Step 2: [web 2/2] RUN npm ci (done)',
      'Step 3: [api 2/2] RUN go build (running)',
    ]);
  });
});
