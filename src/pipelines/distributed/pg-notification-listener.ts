import pg from 'pg';
import type { Logger } from '../../core/logger.js';

/** A queued attempt; the payload is its pipeline's name. Wakes idle workers. */
export const TASKS_CHANNEL = 'tipster_pipeline_tasks';
/** An attempt's dispatch row moved (a result, a release); the payload is its job id. Wakes its coordinator. */
export const RESULTS_CHANNEL = 'tipster_pipeline_results';

const RECONNECT_DELAY_MS = 1000;

/**
 * LISTENs on one PostgreSQL channel over a connection of its own, reconnecting when it drops. Only a
 * shortcut: notifications can be missed (while reconnecting), so whoever listens also polls; after a
 * reconnect the handler is called once with an empty payload, meaning "look now".
 */
export class PgNotificationListener {
  readonly #connectionString: string;
  readonly #channel: string;
  readonly #onNotify: (payload: string) => void;
  readonly #logger: Logger;
  #client: pg.Client | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(connectionString: string, channel: string, onNotify: (payload: string) => void, logger: Logger) {
    this.#connectionString = connectionString;
    this.#channel = channel;
    this.#onNotify = onNotify;
    this.#logger = logger;
  }

  /** Connects and listens; rejects if the first connection fails. */
  static async start(
    connectionString: string,
    channel: string,
    onNotify: (payload: string) => void,
    logger: Logger,
  ): Promise<PgNotificationListener> {
    const listener = new PgNotificationListener(connectionString, channel, onNotify, logger);
    await listener.#connect();
    return listener;
  }

  /** Stops listening and closes the connection. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#connectionString, application_name: 'tipster-listener' });
    client.on('notification', (message) => {
      if (message.channel === this.#channel) this.#onNotify(message.payload ?? '');
    });
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, new Error('connection ended')));
    await client.connect();
    try {
      await client.query(`listen ${pg.escapeIdentifier(this.#channel)}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
  }

  #lost(client: pg.Client, error: Error): void {
    if (this.#closed || this.#client !== client) return;
    this.#client = undefined;
    this.#logger.debug({ err: error, channel: this.#channel }, 'notification connection lost; reconnecting');
    client.end().catch(() => undefined);
    const retry = () => {
      this.#timer = setTimeout(() => {
        if (this.#closed) return;
        this.#connect().then(
          () => this.#onNotify(''),
          () => retry(),
        );
      }, RECONNECT_DELAY_MS);
      this.#timer.unref();
    };
    retry();
  }
}
