import { describe, expect, it } from 'vitest';
import { describeStoreTarget, parseStoreUrl } from './store-url.js';

describe('parseStoreUrl', () => {
  it('resolves relative SQLite paths from the working directory', () => {
    expect(parseStoreUrl('sqlite:./var/t.db', '/srv')).toEqual({ backend: 'sqlite', filename: '/srv/var/t.db' });
    expect(parseStoreUrl('sqlite:///abs/t.db', '/srv')).toEqual({ backend: 'sqlite', filename: '/abs/t.db' });
    expect(parseStoreUrl('sqlite::memory:', '/srv')).toEqual({ backend: 'sqlite', filename: ':memory:' });
  });

  it('accepts postgres:// and postgresql:// and never prints the password', () => {
    const target = parseStoreUrl('postgresql://u:pw@h:5432/d', '/');
    expect(target.backend).toBe('postgres');
    expect(describeStoreTarget(target)).toBe('postgresql://u:***@h:5432/d');
  });

  it('explains what is wrong with an unsupported URL', () => {
    expect(() => parseStoreUrl('sqlite:', '/')).toThrow(/file path is empty/);
    expect(() => parseStoreUrl('redis://x', '/')).toThrow(/scheme must be sqlite: or postgres/);
  });
});
