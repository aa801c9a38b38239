import { destination, pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger } from 'pino';

/** Paths whose values never reach a log line (passwords, tokens, connection strings). */
const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'databaseUrl',
  '*.databaseUrl',
];

/** Structured JSON logger on stderr (stdout stays free for command output). */
export function createLogger(level: LogLevel, name = 'tipster'): Logger {
  return pino({ name, level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination(2));
}

/** A logger that drops everything, for tests and library callers that pass none. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
