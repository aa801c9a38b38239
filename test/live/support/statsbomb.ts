import { fileURLToPath } from 'node:url';

/** A StatsBomb open-data events file from ../shared/data/statsbomb. */
export function statsBombEventsFile(matchId: 15946 | 15986): string {
  return fileURLToPath(new URL(`../../../../shared/data/statsbomb/data/events/${matchId}.json`, import.meta.url));
}
