import { describe, expect, it } from 'vitest';
import { storageText } from './RegistriesSection';

describe('where registry secrets are kept, in words', () => {
  it('names the system keychain when Electron provides one', () => {
    expect(storageText('os-keychain', '/home/me/.berth')).toBe('Passwords and tokens are encrypted with the system keychain.');
  });

  it('names the 0600 file (with the real path) otherwise', () => {
    expect(storageText('file-key', '/home/me/.berth/')).toContain('in a file only your user can read (/home/me/.berth/credentials)');
    expect(storageText('file-key', null)).toContain('($BERTH_HOME/credentials)');
  });
});
