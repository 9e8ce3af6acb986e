import { describe, expect, it } from 'vitest';
import { emptyRunForm, parseRunForm, runParams, splitCommand } from './run-spec';

const form = (patch: Partial<typeof emptyRunForm>) => ({ ...emptyRunForm, image: 'nginx:1', ...patch });

describe('the Run dialog rules', () => {
  it('turns valid fields into run params', () => {
    const r = parseRunForm(
      form({ name: 'web', ports: '8080:80\n53/udp\n', env: 'A=1\nB=x=y', volumes: 'data:/var/lib/x\n/srv:/srv:ro', command: 'sh -c "echo hi there"', restart: 'always' }),
    );
    expect(r).toEqual({
      ok: true,
      params: {
        image: 'nginx:1',
        name: 'web',
        ports: [
          { host: 8080, container: 80, protocol: 'tcp' },
          { container: 53, protocol: 'udp' },
        ],
        env: [
          { key: 'A', value: '1' },
          { key: 'B', value: 'x=y' },
        ],
        mounts: [
          { source: 'data', target: '/var/lib/x', readOnly: false },
          { source: '/srv', target: '/srv', readOnly: true },
        ],
        command: ['sh', '-c', 'echo hi there'],
        restart: 'always',
      },
    });
  });

  it('names the field and line that is wrong', () => {
    const r = parseRunForm(form({ ports: '80:80\n99999:80', env: 'OK=1\nnot an env line', volumes: 'data:relative' }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.ports).toMatch(/Line 2: "99999:80"/);
    expect(r.errors.env).toMatch(/Line 2: "not an env line" is not KEY=value/);
    expect(r.errors.volumes).toMatch(/not SOURCE:\/container\/path/);
  });

  it('refuses a name already in use and a host port published twice', () => {
    const r = parseRunForm(form({ name: 'db', ports: '5432:5432\n5432:5433' }), new Set(['db']));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.name).toBe('A container named "db" already exists.');
    expect(r.errors.ports).toMatch(/host port 5432 is already published/);
  });

  it('refuses an empty image and an unclosed quote', () => {
    const r = parseRunForm(form({ image: ' ', command: 'echo "oops' }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.image).toBeTruthy();
    expect(r.errors.command).toBe('A quote is not closed.');
  });

  it('the agent-side schema refuses what the dialog refuses', () => {
    expect(runParams.safeParse({ image: 'x', ports: [{ host: 70000, container: 80 }] }).success).toBe(false);
    expect(runParams.safeParse({ image: 'x', env: [{ key: '1BAD', value: '' }] }).success).toBe(false);
    expect(runParams.safeParse({ image: 'x', mounts: [{ source: 'v', target: 'relative' }] }).success).toBe(false);
    expect(
      runParams.safeParse({ image: 'x', ports: [{ host: 80, container: 80 }, { host: 80, container: 81 }] }).success,
    ).toBe(false);
    expect(runParams.safeParse({ image: 'x', name: '-bad' }).success).toBe(false);
    expect(runParams.safeParse({ image: 'x', ports: [{ host: 80, container: 80 }] }).success).toBe(true);
  });

  it('splits commands like a shell, without expansion', () => {
    expect(splitCommand(`sh -c 'echo $HOME' "a b" c\\ d`)).toEqual(['sh', '-c', 'echo $HOME', 'a b', 'c d']);
    expect(splitCommand('""')).toEqual(['']);
  });
});
