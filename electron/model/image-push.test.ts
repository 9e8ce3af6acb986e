import { describe, expect, it } from 'vitest';
import { pushHint } from './image-push';

describe('push failures', () => {
  it('a refused push without a stored login says to log in, naming the registry', () => {
    expect(pushHint('reg.example.com/team/app:1', 'unauthorized: authentication required', null)).toBe(
      'The registry reg.example.com needs a login: log in under Registries (or `docker login reg.example.com`), then push again.',
    );
    expect(pushHint('team/app:1', 'denied: requested access to the resource is denied', null)).toContain('(or `docker login`)');
  });

  it('a refused stored login says to log in again', () => {
    expect(pushHint('reg.example.com/app', 'unauthorized', { username: 'u', password: 'p', serveraddress: 'reg.example.com' })).toMatch(
      /^The registry refused your stored login for reg.example.com: log in again/,
    );
  });

  it('a name that is not there says to tag first; plain HTTP says how to allow it', () => {
    expect(pushHint('10.0.2.2:5000/x:1', 'An image does not exist locally with the tag: 10.0.2.2:5000/x', null)).toContain('Tag the image as 10.0.2.2:5000/x:1 first');
    expect(pushHint('10.0.2.2:6000/x:1', 'http: server gave HTTP response to HTTPS client', null)).toContain('insecure registries');
  });
});
