// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { HubNotice, OFFLINE_TITLE } from './HubNotice';

afterEach(cleanup);

describe('Hub notices', () => {
  it('says Hub is offline and that the rest of Berth keeps working', () => {
    let retried = 0;
    render(<HubNotice problem={{ code: 'offline', message: 'Docker Hub cannot be reached', hint: 'connection refused.' }} onRetry={() => (retried += 1)} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Docker Hub cannot be reached — the rest of Berth keeps working');
    expect(OFFLINE_TITLE).toBe('Docker Hub cannot be reached — the rest of Berth keeps working');
    expect(alert.textContent).toContain('connection refused.');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(retried).toBe(1);
  });

  it('says when a rate limit lifts, and holds the retry until then', () => {
    const retryAt = Date.now() + 30_000;
    render(<HubNotice problem={{ code: 'rate-limited', message: 'Docker Hub is rate-limiting requests', retryAfter: 30, retryAt }} onRetry={() => undefined} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Docker Hub is rate-limiting requests');
    expect(alert.textContent).toMatch(/Try again in (29|30) s \(at /);
    expect(screen.getByRole('button', { name: 'Try again' }).hasAttribute('disabled')).toBe(true);
  });

  it('a passed rate limit can be retried at once', () => {
    render(<HubNotice problem={{ code: 'rate-limited', message: 'x', retryAfter: 1, retryAt: Date.now() - 1000 }} onRetry={() => undefined} />);
    expect(screen.getByRole('alert').textContent).toContain('you can try again now');
    expect(screen.getByRole('button', { name: 'Try again' }).hasAttribute('disabled')).toBe(false);
  });

  it('shows nothing for no problem or a cancelled request', () => {
    const { container } = render(
      <>
        <HubNotice problem={null} />
        <HubNotice problem={{ code: 'cancelled', message: 'hub.search was cancelled' }} />
      </>,
    );
    expect(container.textContent).toBe('');
  });
});
