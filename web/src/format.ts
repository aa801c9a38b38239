/** Formatting shared by every page. */

export const pct = (p: number, digits = 0) => `${(p * 100).toFixed(digits)}%`;
export const num = (x: number, digits = 2) => x.toFixed(digits);
export const money = (m: { amount: string; currency: string }) => `${m.amount} ${m.currency}`;

const dateTime = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
const dateOnly = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const stamp = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });

export const kickoff = (iso: string, timeKnown = true) => (timeKnown ? `${dateTime.format(new Date(iso))} UTC` : dateOnly.format(new Date(iso)));
export const when = (iso: string | null) => (iso === null ? '—' : stamp.format(new Date(iso)));
export const day = (iso: string) => dateOnly.format(new Date(iso));

export function duration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
