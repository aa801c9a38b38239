/**
 * JSON-schema pieces the route plugins share, and the ISO form of stored epoch milliseconds.
 * Schemas validate input, serialise output and document the API (OpenAPI), so they are data.
 */
export const str = { type: 'string' } as const;
export const nullableStr = { type: ['string', 'null'] } as const;
export const time = { type: 'string', format: 'date-time' } as const;
export const nullableTime = { type: ['string', 'null'], format: 'date-time' } as const;
export const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } } as const;
export const NUMBER_MAP = { type: 'object', additionalProperties: { type: 'number' } } as const;

/** An instant stored as epoch milliseconds, as an ISO 8601 string (null stays null). */
export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
