/** The API client: same origin, /api/v1, bearer access token kept in memory, refresh token rotated (ADR 0004). */

export interface Money {
  amount: string;
  currency: string;
  minorUnits: number;
}
export type Role = 'free' | 'premium' | 'admin';
export type RiskLevel = 'low' | 'medium' | 'high';
export interface User {
  id: number;
  username: string;
  role: Role;
  bankroll: Money;
  riskLevel: RiskLevel;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}
export interface Session {
  accessToken: string;
  expiresIn: number;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  user: User;
}

/** An RFC 9457 problem returned by the API (or a network failure, status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly hint: string;
  readonly errors: readonly { field: string; message: string }[];
  constructor(status: number, code: string, message: string, hint = '', errors: readonly { field: string; message: string }[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.hint = hint;
    this.errors = errors;
  }
}

// The refresh token survives a reload of this tab only (sessionStorage is per tab and cleared when it closes);
// the access token never leaves memory.
const REFRESH_KEY = 'tipster.refresh';

type Listener = (session: Session | null) => void;

class ApiClient {
  #session: Session | null = null;
  #refreshing: Promise<Session | null> | null = null;
  readonly #listeners = new Set<Listener>();

  get session(): Session | null {
    return this.#session;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #set(session: Session | null): void {
    this.#session = session;
    try {
      if (session) sessionStorage.setItem(REFRESH_KEY, session.refreshToken);
      else sessionStorage.removeItem(REFRESH_KEY);
    } catch {
      // Storage may be unavailable (private mode): the session then lasts as long as the page.
    }
    for (const l of this.#listeners) l(session);
  }

  /** Updates the cached user after a profile change. */
  setUser(user: User): void {
    if (this.#session) this.#set({ ...this.#session, user });
  }

  async signUp(body: { username: string; password: string; bankroll: { amount: string; currency?: string }; riskLevel: RiskLevel }): Promise<Session> {
    const session = await this.request<Session>('POST', '/auth/signup', body, { auth: false });
    this.#set(session);
    return session;
  }

  async logIn(username: string, password: string): Promise<Session> {
    const session = await this.request<Session>('POST', '/auth/login', { username, password }, { auth: false });
    this.#set(session);
    return session;
  }

  async logOut(): Promise<void> {
    const token = this.#session?.refreshToken;
    this.#set(null);
    if (token) await this.request('POST', '/auth/logout', { refreshToken: token }, { auth: false }).catch(() => undefined);
  }

  /** Restores a session from this tab's refresh token, if any (on page load). */
  async resume(): Promise<Session | null> {
    let token: string | null = null;
    try {
      token = sessionStorage.getItem(REFRESH_KEY);
    } catch {
      token = null;
    }
    if (!token) return null;
    return this.#refresh(token);
  }

  /** One refresh at a time: a refresh token works once, so two concurrent refreshes would end the session. */
  #refresh(token: string): Promise<Session | null> {
    this.#refreshing ??= this.request<Session>('POST', '/auth/refresh', { refreshToken: token }, { auth: false })
      .then((s) => {
        this.#set(s);
        return s;
      })
      .catch(() => {
        this.#set(null);
        return null;
      })
      .finally(() => {
        this.#refreshing = null;
      });
    return this.#refreshing;
  }

  /** A valid access token, refreshed when it expires within 30 s. */
  async accessToken(): Promise<string | null> {
    const s = this.#session;
    if (!s) return null;
    if (Date.parse(s.accessTokenExpiresAt) - Date.now() > 30_000) return s.accessToken;
    return (await this.#refresh(s.refreshToken))?.accessToken ?? null;
  }

  async request<T>(method: string, path: string, body?: unknown, options: { auth?: boolean; accept?: string; signal?: AbortSignal } = {}): Promise<T> {
    const send = async (): Promise<Response> => {
      const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (options.auth !== false) {
        const token = await this.accessToken();
        if (token) headers.authorization = `Bearer ${token}`;
      }
      return fetch(`/api/v1${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), ...(options.signal ? { signal: options.signal } : {}) });
    };
    let response: Response;
    try {
      response = await send();
      // An access token revoked or expired early: refresh once and try again.
      if (response.status === 401 && options.auth !== false && this.#session) {
        const refreshed = await this.#refresh(this.#session.refreshToken);
        if (refreshed) response = await send();
      }
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ApiError(0, 'NETWORK', 'The server could not be reached. Check your connection and try again.');
    }
    if (response.status === 204) return undefined as T;
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok) {
      if (type.includes('json')) {
        const p = (await response.json()) as { code?: string; detail?: string; title?: string; hint?: string; errors?: { field: string; message: string }[] };
        throw new ApiError(response.status, p.code ?? 'HTTP', p.detail ?? p.title ?? response.statusText, p.hint ?? '', p.errors ?? []);
      }
      throw new ApiError(response.status, 'HTTP', `${response.status} ${response.statusText}`);
    }
    if (type.includes('json')) return (await response.json()) as T;
    return (await response.text()) as T;
  }

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, undefined, signal ? { signal } : {});
  }
  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }
  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }
}

export const api = new ApiClient();

/** A query string from the defined values. */
export function qs(params: Record<string, string | number | boolean | undefined>): string {
  const entries = Object.entries(params).filter((e): e is [string, string | number | boolean] => e[1] !== undefined && e[1] !== '');
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`;
}
