import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { InPlayModel, InPlayProbability } from '../../live/in-play-model.js';
import { situationOf, type LiveTick, type LiveUpdate } from '../../live/live-centre.js';
import type { LiveEvent } from '../../live/live-event.js';
import { applyLiveEvent, newLiveMatchState, type LiveMatchState, type TimelineEntry } from '../../live/live-match-state.js';
import type { StoredLiveMatch } from '../../live/live-match-repository.js';

/** Why the hub ended a stream. */
export type SseDisconnectReason = 'overflow' | 'shutdown';

export interface LiveSseHubOptions {
  /**
   * Bytes a client may have waiting in its socket buffer (default 1 MiB, about 2,500 updates). A
   * client still holding more when the next batch comes is disconnected (so a client costs at most
   * this plus one batch); it reconnects with Last-Event-ID and resumes.
   */
  readonly maxBufferedBytes?: number;
  /** Comment lines sent this often keep proxies from closing idle streams (default 15 s). */
  readonly heartbeatMs?: number;
  /** Reconnection delay suggested to EventSource clients (default 2 s). */
  readonly retryMs?: number;
  readonly now?: () => number;
  readonly onDisconnect?: (reason: SseDisconnectReason) => void;
}

/** One frame waiting while a resuming client is replayed (live frames are held, then deduplicated). */
export interface HeldFrame {
  readonly matchId: string;
  readonly index: number;
  readonly text: string;
}

export interface SseClient {
  readonly res: ServerResponse;
  /** The match followed, or null for the all-matches stream. */
  readonly matchId: string | null;
  /**
   * The connection, when the response is chunked HTTP/1.1 on a socket: batches are then written to it
   * as one pre-framed chunk shared by every client (one buffer, one syscall per client, no per-client
   * encoding or cork/uncork round). Null otherwise (tests, HTTP/1.0): frames go through `res.write`.
   */
  readonly socket: Socket | null;
  /** Non-null while the client is being replayed. */
  held: HeldFrame[] | null;
  heldBytes: number;
  closed: boolean;
}

/** The JSON of one update frame: what a dashboard needs to redraw a match after an event. */
export function updateJson(matchId: string, event: LiveEvent, state: LiveMatchState, probability: InPlayProbability, moment: TimelineEntry | undefined) {
  return {
    matchId,
    index: event.index,
    type: event.type,
    team: event.team,
    ...(event.player !== undefined ? { player: event.player } : {}),
    period: event.period,
    minute: event.minute,
    second: event.second,
    score: { home: state.home.goals, away: state.away.goals },
    status: state.status,
    xg: { home: round(state.home.xg), away: round(state.away.xg) },
    shots: { home: state.home.shots, away: state.away.shots },
    redCards: { home: state.home.redCards, away: state.away.redCards },
    probability: probabilityJson(probability),
    ...(moment ? { moment } : {}),
    ...(event.emittedAtMs !== undefined ? { emittedAtMs: event.emittedAtMs } : {}),
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Probabilities to 4 decimals: finer digits mean nothing to a viewer and double the bytes every client receives. */
export function probabilityJson(p: InPlayProbability) {
  return { home: round4(p.home), draw: round4(p.draw), away: round4(p.away), nextGoalHome: round4(p.nextGoalHome), nextGoalNone: round4(p.nextGoalNone), nextGoalAway: round4(p.nextGoalAway), modelVersion: p.modelVersion };
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

function frame(event: string, data: unknown, id?: string): string {
  return `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The all-matches stream's resume cursor, `<epochMs>;<matchId>:<index>;…`: the time of the batch and
 * the last index of every match live then (or finished in the 2 minutes before). On resume, a match
 * updated at or after that time is replayed after its index in the cursor, or from its start when
 * absent (it kicked off later); other matches have nothing new.
 */
export interface AllMatchesCursor {
  readonly atMs: number;
  readonly indexes: ReadonlyMap<string, number>;
}

/** Parses an all-matches Last-Event-ID; undefined when it is not one. */
export function parseAllMatchesCursor(text: string): AllMatchesCursor | undefined {
  const [head, ...parts] = text.split(';');
  const atMs = Number(head);
  if (!Number.isSafeInteger(atMs) || atMs <= 0) return undefined;
  const indexes = new Map<string, number>();
  for (const part of parts) {
    const colon = part.lastIndexOf(':');
    const index = Number(part.slice(colon + 1));
    if (colon <= 0 || !Number.isSafeInteger(index) || index < 0) return undefined;
    indexes.set(part.slice(0, colon), index);
  }
  return { atMs, indexes };
}

const RECENTLY_FINISHED_MS = 120_000;

/**
 * Fans the live centre's updates out to server-sent-event clients. Each update is serialised once and
 * written to every client without waiting for any of them: a slow client's data waits in its own
 * socket buffer, so it never delays the others, and a client whose buffer passes `maxBufferedBytes`
 * is disconnected (bounded memory per client) and resumes with Last-Event-ID when it reconnects.
 */
export class LiveSseHub {
  readonly #maxBuffered: number;
  readonly #retryMs: number;
  readonly #now: () => number;
  readonly #onDisconnect: (reason: SseDisconnectReason) => void;
  readonly #clients = new Set<SseClient>();
  readonly #byMatch = new Map<string, Set<SseClient>>();
  /** Last index of each live (or just finished) match, for the all-matches cursor. */
  readonly #cursorIndexes = new Map<string, { index: number; finishedAtMs: number | null }>();
  readonly #heartbeat: NodeJS.Timeout;

  constructor(options: LiveSseHubOptions = {}) {
    this.#maxBuffered = options.maxBufferedBytes ?? 1_048_576;
    this.#retryMs = options.retryMs ?? 2_000;
    this.#now = options.now ?? Date.now;
    this.#onDisconnect = options.onDisconnect ?? (() => undefined);
    this.#heartbeat = setInterval(() => this.#broadcastComment('heartbeat'), options.heartbeatMs ?? 15_000);
    this.#heartbeat.unref();
  }

  /** Connected clients. */
  get size(): number {
    return this.#clients.size;
  }

  /** Seeds the all-matches cursor with the matches a (re)started centre already knows. */
  seed(matches: readonly StoredLiveMatch[]): void {
    for (const m of matches) this.#cursorIndexes.set(m.state.matchId, { index: m.state.lastIndex, finishedAtMs: m.finishedAtMs });
  }

  /** The all-matches cursor as of now. */
  cursor(): string {
    const nowMs = this.#now();
    let text = String(nowMs);
    for (const [matchId, entry] of this.#cursorIndexes) {
      if (entry.finishedAtMs !== null && nowMs - entry.finishedAtMs > RECENTLY_FINISHED_MS) {
        this.#cursorIndexes.delete(matchId);
        continue;
      }
      text += `;${matchId}:${entry.index}`;
    }
    return text;
  }

  /**
   * Starts an event stream on `res` (headers, retry hint). Live frames are held until `resume` has
   * written the replay, then written after it without the ones the replay already covered.
   */
  open(res: ServerResponse, matchId: string | null): SseClient {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx buffers responses unless told not to.
      'x-accel-buffering': 'no',
    });
    // Through `res`, so the headers go first; direct chunks queue behind them on the same socket.
    res.write(`retry: ${this.#retryMs}\n: connected\n\n`);
    const socket = res.chunkedEncoding && res.socket && typeof res.socket.write === 'function' ? res.socket : null;
    const client: SseClient = { res, matchId, socket, held: [], heldBytes: 0, closed: false };
    this.#clients.add(client);
    if (matchId !== null) {
      let set = this.#byMatch.get(matchId);
      if (!set) this.#byMatch.set(matchId, (set = new Set()));
      set.add(client);
    }
    res.on('close', () => this.#remove(client));
    return client;
  }

  /**
   * Writes a resuming client's replay (`frames`, in order, awaiting socket drain so a long replay
   * stays within the buffer bound), then the live frames held meanwhile that the replay did not cover.
   */
  async resume(client: SseClient, frames: AsyncIterable<HeldFrame> | Iterable<HeldFrame>): Promise<void> {
    const covered = new Map<string, number>();
    for await (const f of frames) {
      if (client.closed) return;
      covered.set(f.matchId, Math.max(covered.get(f.matchId) ?? 0, f.index));
      if (!client.res.write(f.text)) await drainOrClose(client.res);
    }
    const held = client.held ?? [];
    client.held = null;
    client.heldBytes = 0;
    let text = '';
    for (const f of held) if (f.index > (covered.get(f.matchId) ?? 0)) text += f.text;
    // An all-matches client gets the current cursor after its replay, so a second drop resumes from here.
    if (client.matchId === null) text += `id: ${this.cursor()}\n\n`;
    if (text !== '') this.#send(client, text);
  }

  /**
   * Sends one batch of updates to the clients following those matches and to the all-matches clients.
   * An update at or below the index already sent for its match is dropped: the centre fans out before
   * it commits, so a batch whose commit failed comes again.
   */
  publish(updates: readonly LiveUpdate[]): void {
    const perMatch = new Map<string, HeldFrame[]>();
    const all: HeldFrame[] = [];
    for (const u of updates) {
      const sent = this.#cursorIndexes.get(u.matchId);
      if (sent && u.event.index <= sent.index) continue;
      const data = updateJson(u.matchId, u.event, u.state, u.probability, u.moment);
      // The event's own score (state has moved on if the batch held later events of this match).
      data.score = { home: u.score.home, away: u.score.away };
      const json = JSON.stringify(data);
      const index = u.event.index;
      const entry = this.#cursorIndexes.get(u.matchId);
      if (entry) {
        entry.index = index;
        if (u.state.status === 'finished' && entry.finishedAtMs === null) entry.finishedAtMs = this.#now();
      } else this.#cursorIndexes.set(u.matchId, { index, finishedAtMs: u.state.status === 'finished' ? this.#now() : null });
      if (this.#byMatch.has(u.matchId)) {
        let list = perMatch.get(u.matchId);
        if (!list) perMatch.set(u.matchId, (list = []));
        list.push({ matchId: u.matchId, index, text: `id: ${index}\nevent: update\ndata: ${json}\n\n` });
      }
      all.push({ matchId: u.matchId, index, text: `event: update\ndata: ${json}\n\n` });
    }
    for (const [matchId, frames] of perMatch) {
      const batch = new Batch(frames.map((f) => f.text).join(''));
      for (const client of this.#byMatch.get(matchId) ?? []) this.#deliver(client, frames, batch);
    }
    if (all.length === 0) return;
    // The cursor rides on its own id-only block after the batch: EventSource records it as the last id.
    const idBlock = `id: ${this.cursor()}\n\n`;
    const last = all[all.length - 1]!;
    const allFrames = [...all.slice(0, -1), { ...last, text: last.text + idBlock }];
    const batch = new Batch(allFrames.map((f) => f.text).join(''));
    for (const client of this.#clients) if (client.matchId === null) this.#deliver(client, allFrames, batch);
  }

  /** Sends minute-tick repricings (no id: they change nothing a resume must replay). */
  publishTicks(ticks: readonly LiveTick[]): void {
    for (const t of ticks) {
      const text = frame('tick', { matchId: t.matchId, index: t.lastIndex, period: t.period, minute: t.minute, score: t.score, probability: probabilityJson(t.probability) });
      const held = [{ matchId: t.matchId, index: Number.POSITIVE_INFINITY, text }];
      const batch = new Batch(text);
      for (const client of this.#byMatch.get(t.matchId) ?? []) this.#deliver(client, held, batch);
      for (const client of this.#clients) if (client.matchId === null) this.#deliver(client, held, batch);
    }
  }

  /** Ends every stream (server shutdown); clients reconnect elsewhere with Last-Event-ID. */
  closeAll(): void {
    clearInterval(this.#heartbeat);
    for (const client of [...this.#clients]) {
      this.#remove(client);
      this.#onDisconnect('shutdown');
      client.res.end();
    }
  }

  #deliver(client: SseClient, frames: readonly HeldFrame[], batch: Batch): void {
    if (client.held !== null) {
      for (const f of frames) {
        client.held.push(f);
        client.heldBytes += f.text.length;
      }
      if (client.heldBytes > this.#maxBuffered) this.#overflow(client);
      return;
    }
    this.#send(client, batch);
  }

  #send(client: SseClient, batch: Batch | string): void {
    if (client.closed) return;
    // Never wait for a client: its backlog sits in its own socket buffer. A client still holding more
    // than the bound when the next batch comes is cut off (so memory ≤ bound + one batch).
    if (client.res.writableLength > this.#maxBuffered) {
      this.#overflow(client);
      return;
    }
    if (typeof batch === 'string') client.res.write(batch);
    else if (client.socket) {
      // A socket closed under us: its 'close' removes the client on the next turn.
      if (!client.socket.destroyed) client.socket.write(batch.chunk());
    } else client.res.write(batch.text);
  }

  #overflow(client: SseClient): void {
    this.#remove(client);
    this.#onDisconnect('overflow');
    client.res.destroy();
  }

  #broadcastComment(comment: string): void {
    for (const client of this.#clients) if (client.held === null) this.#send(client, `: ${comment}\n\n`);
  }

  #remove(client: SseClient): void {
    if (client.closed) return;
    client.closed = true;
    client.held = null;
    this.#clients.delete(client);
    if (client.matchId !== null) {
      const set = this.#byMatch.get(client.matchId);
      set?.delete(client);
      if (set?.size === 0) this.#byMatch.delete(client.matchId);
    }
  }
}

/** A batch's text, and its HTTP/1.1 chunk (size line, bytes, CRLF) encoded once for every client that takes it. */
class Batch {
  #chunk: Buffer | undefined;
  constructor(readonly text: string) {}

  chunk(): Buffer {
    if (!this.#chunk) {
      const body = Buffer.from(this.text, 'utf8');
      this.#chunk = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`, 'latin1'), body, CRLF]);
    }
    return this.#chunk;
  }
}

const CRLF = Buffer.from('\r\n', 'latin1');

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** A snapshot frame: the match as it is now (sent when a stream starts without Last-Event-ID). */
export function snapshotFrame(m: StoredLiveMatch, id?: string): string {
  const s = m.state;
  return frame(
    'snapshot',
    {
      matchId: s.matchId,
      homeTeam: s.homeTeam,
      awayTeam: s.awayTeam,
      status: s.status,
      index: s.lastIndex,
      period: s.period,
      minute: s.minute,
      second: s.second,
      score: { home: s.home.goals, away: s.away.goals },
      xg: { home: round(s.home.xg), away: round(s.away.xg) },
      shots: { home: s.home.shots, away: s.away.shots },
      redCards: { home: s.home.redCards, away: s.away.redCards },
      probability: probabilityJson(m.probability),
      timeline: s.timeline,
    },
    id,
  );
}

/**
 * Update frames for a match's stored events after `afterIndex`, repriced exactly as they were live:
 * every stored event is applied to a fresh state, and those after `afterIndex` become frames.
 */
export function* replayFrames(
  events: readonly LiveEvent[],
  match: StoredLiveMatch,
  model: InPlayModel,
  afterIndex: number,
  perMatchIds: boolean,
): Generator<HeldFrame> {
  const state = newLiveMatchState(match.state.matchId, match.state.homeTeam, match.state.awayTeam);
  for (const event of events) {
    const result = applyLiveEvent(state, event);
    if (!result.applied || event.index <= afterIndex) continue;
    const probability = model.predict(match.rates, situationOf(state));
    const json = JSON.stringify(updateJson(state.matchId, event, state, probability, result.key ? state.timeline.at(-1) : undefined));
    yield { matchId: state.matchId, index: event.index, text: `${perMatchIds ? `id: ${event.index}\n` : ''}event: update\ndata: ${json}\n\n` };
  }
}
