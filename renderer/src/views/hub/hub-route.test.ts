import { describe, expect, it } from 'vitest';
import { parseHash, routeHash } from '../../stores/route';

describe('Hub routes', () => {
  it('a repository page has its own address, namespaced names included', () => {
    expect(routeHash({ view: 'hub', repository: 'acmecorp/nginx-hardened' })).toBe('#/hub/acmecorp%2Fnginx-hardened');
    expect(parseHash('#/hub/acmecorp%2Fnginx-hardened')).toEqual({ view: 'hub', repository: 'acmecorp/nginx-hardened' });
    expect(parseHash('#/hub/busybox')).toEqual({ view: 'hub', repository: 'busybox' });
    expect(parseHash('#/hub')).toEqual({ view: 'hub' });
    expect(routeHash({ view: 'hub' })).toBe('#/hub');
  });
});
