// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES } from '../../../../electron/contract/container-files';
import { breadcrumbs, bytesToBase64, base64ToBytes, editableText, nameProblem, uploadProblem } from './file-paths';
import { FileEditorDialog } from './FileEditorDialog';

afterEach(cleanup);

describe('the text editor dialog', () => {
  const open = (onSave: (t: string) => Promise<void>, closed: { n: number }) =>
    render(<FileEditorDialog path="/app/notes.txt" initial={'one\n'} onSave={onSave} onClose={() => (closed.n += 1)} />);

  it('Cancel with unsaved edits asks before discarding them, and Keep editing keeps the text', () => {
    const closed = { n: 0 };
    open(async () => undefined, closed);
    const area = screen.getByRole('textbox', { name: 'Text of /app/notes.txt' });
    fireEvent.change(area, { target: { value: 'one\ntwo\n' } });
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(closed.n).toBe(0);
    expect(screen.getByRole('alert').textContent).toContain('Discard your changes to /app/notes.txt?');
    fireEvent.click(screen.getByRole('button', { name: 'Keep editing' }));
    expect((area as HTMLTextAreaElement).value).toBe('one\ntwo\n');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    fireEvent.click(screen.getByRole('button', { name: 'Discard' }));
    expect(closed.n).toBe(1);
  });

  it('a failed save shows why and keeps the edit; a good one saves the text and closes', async () => {
    const closed = { n: 0 };
    const saved: string[] = [];
    let fail = true;
    open(async (t) => {
      if (fail) throw Object.assign(new Error('Cannot write /app/notes.txt: read-only file system'), { code: 'engine' });
      saved.push(t);
    }, closed);
    const area = screen.getByRole('textbox') as HTMLTextAreaElement;
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(area, { target: { value: 'edited\n' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toContain('read-only file system');
    expect(area.value).toBe('edited\n');
    expect(closed.n).toBe(0);
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(closed.n).toBe(1));
    expect(saved).toEqual(['edited\n']);
  });
});

describe('files tab rules', () => {
  it('breadcrumbs lead to every folder above', () => {
    expect(breadcrumbs('/app/deep')).toEqual([
      { name: '/', path: '/' },
      { name: 'app', path: '/app' },
      { name: 'deep', path: '/app/deep' },
    ]);
    expect(breadcrumbs('/')).toEqual([{ name: '/', path: '/' }]);
  });

  it('refuses uploads over the cap, naming the size and docker cp', () => {
    expect(uploadProblem({ name: 'a.txt', size: 10 })).toBeNull();
    expect(uploadProblem({ name: 'big.iso', size: MAX_UPLOAD_BYTES + 1 })).toMatch(/^big\.iso is .* MB; one upload carries at most .*docker cp/);
  });

  it('refuses names that are not one path segment', () => {
    expect(nameProblem('logs')).toBeNull();
    expect(nameProblem('a/b')).toMatch(/cannot contain "\/"/);
    expect(nameProblem('..')).toMatch(/not a name/);
    expect(nameProblem(' ')).toBe('Type a name.');
  });

  it('edits UTF-8 text only, up to 1 MiB', () => {
    const enc = new TextEncoder();
    expect(editableText('a', enc.encode('héllo'), 6, false)).toEqual({ text: 'héllo' });
    expect(editableText('bin', new Uint8Array([1, 0, 2]), 3, false)).toEqual({ problem: expect.stringContaining('looks binary') });
    expect(editableText('latin1', new Uint8Array([0xe9]), 1, false)).toEqual({ problem: expect.stringContaining('not UTF-8') });
    expect(editableText('big', new Uint8Array(10), 5_000_000, true)).toEqual({ problem: expect.stringMatching(/big is 5\.0 MB; only text files up to/) });
  });

  it('base64 round-trips every byte value, in pieces larger than one apply() call takes', () => {
    const bytes = Uint8Array.from({ length: 200_000 }, (_, i) => i % 256);
    expect(Buffer.from(base64ToBytes(bytesToBase64(bytes))).equals(Buffer.from(bytes))).toBe(true);
  });
});
