import path from 'node:path';
import { redactUrl } from '../core/config.js';
import { TipsterError } from '../core/errors.js';

/** Where the store lives, parsed from TIPSTER_DATABASE_URL. */
export type StoreTarget =
  | { readonly backend: 'sqlite'; readonly filename: string }
  | { readonly backend: 'postgres'; readonly connectionString: string };

/** Parses `sqlite:PATH`, `sqlite::memory:` or `postgres(ql)://…`; relative paths resolve from `cwd`. */
export function parseStoreUrl(url: string, cwd: string): StoreTarget {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    try {
      new URL(url);
    } catch {
      throw new TipsterError('TIPSTER_ERR_STORE_URL_INVALID', { url: redactUrl(url), reason: 'it is not a valid URL' });
    }
    return Object.freeze({ backend: 'postgres', connectionString: url });
  }
  if (url.startsWith('sqlite:')) {
    let rest = url.slice('sqlite:'.length);
    if (rest.startsWith('//')) rest = rest.slice(2); // sqlite:///abs/path
    if (rest === '') {
      throw new TipsterError('TIPSTER_ERR_STORE_URL_INVALID', { url, reason: 'the file path is empty' });
    }
    const filename = rest === ':memory:' ? rest : path.resolve(cwd, rest);
    return Object.freeze({ backend: 'sqlite', filename });
  }
  throw new TipsterError('TIPSTER_ERR_STORE_URL_INVALID', {
    url: redactUrl(url),
    reason: 'the scheme must be sqlite: or postgres://',
  });
}

/** A printable description of the target, without secrets. */
export function describeStoreTarget(target: StoreTarget): string {
  return target.backend === 'sqlite' ? `sqlite:${target.filename}` : redactUrl(target.connectionString);
}
