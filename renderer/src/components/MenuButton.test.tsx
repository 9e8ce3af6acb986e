// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MenuButton } from './MenuButton';

afterEach(cleanup);

function setup() {
  const chosen: string[] = [];
  render(
    <MenuButton
      label="More actions for web"
      items={[
        { label: 'Restart', name: 'Restart web', onSelect: () => chosen.push('restart') },
        { label: 'Pause', name: 'Pause web', disabled: true, onSelect: () => chosen.push('pause') },
        { label: 'Remove…', name: 'Remove web', danger: true, onSelect: () => chosen.push('remove') },
      ]}
    />,
  );
  return { chosen, trigger: screen.getByRole('button', { name: 'More actions for web' }) };
}

describe('MenuButton', () => {
  it('opens on its first item, moves with the arrow keys past disabled items, and Escape gives focus back', () => {
    const { trigger } = setup();
    expect(trigger.getAttribute('aria-haspopup')).toBe('menu');
    expect(trigger.getAttribute('aria-expanded')).toBe('false');
    act(() => trigger.click());
    expect(trigger.getAttribute('aria-expanded')).toBe('true');
    const menu = screen.getByRole('menu', { name: 'More actions for web' });
    expect(trigger.getAttribute('aria-controls')).toBe(menu.id);
    expect(document.activeElement).toBe(screen.getByRole('menuitem', { name: 'Restart web' }));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(screen.getByRole('menuitem', { name: 'Remove web' }));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(screen.getByRole('menuitem', { name: 'Restart web' }));
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(document.activeElement).toBe(screen.getByRole('menuitem', { name: 'Remove web' }));
    act(() => void fireEvent.keyDown(document.activeElement!, { key: 'Escape' }));
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(trigger);
  });

  it('runs the chosen item once and closes; a click elsewhere closes without choosing', () => {
    const { chosen, trigger } = setup();
    act(() => trigger.click());
    act(() => screen.getByRole('menuitem', { name: 'Remove web' }).click());
    expect(chosen).toEqual(['remove']);
    expect(screen.queryByRole('menu')).toBeNull();
    act(() => trigger.click());
    act(() => void fireEvent.pointerDown(document.body));
    expect(screen.queryByRole('menu')).toBeNull();
    expect(chosen).toEqual(['remove']);
  });
});
