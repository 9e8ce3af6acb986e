import { describe, expect, it } from 'vitest';
import { buildParams, parseBuildArgs, parseTags, pushParams, splitRef, tagParams } from './build';

describe('build arguments and names', () => {
  it('reads KEY=VALUE lines, skipping blanks and comments; a value may hold = and spaces', () => {
    expect(parseBuildArgs('VERSION=1.2\n\n# a comment\n  GREETING = hello world\nURL=http://x/?a=b\n')).toEqual({
      args: [
        { name: 'VERSION', value: '1.2' },
        { name: 'GREETING', value: ' hello world' },
        { name: 'URL', value: 'http://x/?a=b' },
      ],
      errors: [],
    });
  });

  it('names each bad line with its number', () => {
    expect(parseBuildArgs('OK=1\nNOVALUE\n1BAD=x\n').errors).toEqual([
      'Line 2: "NOVALUE" has no value; write NOVALUE=VALUE',
      'Line 3: "1BAD" is not a build-arg name (letters, digits, _)',
    ]);
  });

  it('splits tags on spaces, commas and lines and checks each', () => {
    expect(parseTags('team/app:1, app:latest\n10.0.2.2:5000/app:dev')).toEqual({ tags: ['team/app:1', 'app:latest', '10.0.2.2:5000/app:dev'], errors: [] });
    expect(parseTags('Team/App').errors).toEqual(['"Team/App" is not an image name (e.g. team/app:1)']);
  });

  it('splits a reference into repository and tag, not mistaking a registry port for a tag', () => {
    expect(splitRef('10.0.2.2:5000/team/app:1')).toEqual({ repo: '10.0.2.2:5000/team/app', tag: '1' });
    expect(splitRef('10.0.2.2:5000/team/app')).toEqual({ repo: '10.0.2.2:5000/team/app' });
    expect(splitRef('app')).toEqual({ repo: 'app' });
  });

  it('params are strict and checked', () => {
    expect(buildParams.parse({ folder: '/p' })).toEqual({ folder: '/p', dockerfile: 'Dockerfile', buildArgs: [], tags: [], noCache: false });
    expect(() => buildParams.parse({ folder: '/p', extra: 1 })).toThrow();
    expect(() => buildParams.parse({ folder: '/p', buildArgs: [{ name: 'a-b', value: 'x' }] })).toThrow(/build-arg name/);
    expect(() => buildParams.parse({ folder: '/p', buildArgs: [{ name: 'A', value: 'x', extra: 1 }] })).toThrow();
    expect(parseBuildArgs('A=1\nA=2').args).toEqual([{ name: 'A', value: '2' }]);
    expect(() => buildParams.parse({ folder: '/p', tags: ['UPPER'] })).toThrow(/not an image name/);
    expect(() => tagParams.parse({ id: 'x', ref: 'a b' })).toThrow();
    expect(pushParams.parse({ ref: '10.0.2.2:5000/a:1' })).toEqual({ ref: '10.0.2.2:5000/a:1' });
  });
});
