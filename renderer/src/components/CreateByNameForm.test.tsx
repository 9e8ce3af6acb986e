// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { CreateByNameForm } from './CreateByNameForm';

afterEach(cleanup);

describe('the create-by-name form', () => {
  it('sends the trimmed name, keeps a refused one for correction and clears an accepted one', async () => {
    const sent: string[] = [];
    let accept = false;
    render(<CreateByNameForm noun="volume" disabled={false} busy={false} create={async (n) => (sent.push(n), accept)} />);
    const field = screen.getByLabelText('New volume name') as HTMLInputElement;
    const button = screen.getByRole('button', { name: 'Create volume' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    fireEvent.change(field, { target: { value: '  data  ' } });
    fireEvent.click(button);
    await waitFor(() => expect(sent).toEqual(['data']));
    expect(field.value).toBe('  data  ');
    accept = true;
    fireEvent.click(button);
    await waitFor(() => expect(field.value).toBe(''));
    expect(sent).toEqual(['data', 'data']);
  });
});
