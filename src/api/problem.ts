import { STATUS_CODES } from 'node:http';
import { ERROR_CATALOGUE, type ErrorCode } from '../core/errors.js';

/** One offending field of a rejected request. */
export interface ProblemFieldError {
  readonly field: string;
  readonly location: string;
  readonly message: string;
}

/** An RFC 9457 problem document with Tipster's extensions (code, hint, requestId, errors). */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: ErrorCode;
  readonly detail: string;
  readonly hint: string;
  readonly instance: string;
  readonly requestId: string;
  readonly errors?: readonly ProblemFieldError[];
  readonly retryAfterSeconds?: number;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Builds the problem document for a catalogued error. */
export function problemFor(
  code: ErrorCode,
  detail: string,
  hint: string,
  context: { readonly instance: string; readonly requestId: string },
  extra: { readonly errors?: readonly ProblemFieldError[]; readonly retryAfterSeconds?: number } = {},
): Problem {
  const status = ERROR_CATALOGUE[code].status;
  return {
    type: `urn:tipster:error:${code}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    code,
    detail,
    hint,
    instance: context.instance,
    requestId: context.requestId,
    ...extra,
  };
}

/** JSON schema of a problem document (shared as `Problem`; documents every 4xx/5xx in the OpenAPI). */
export const PROBLEM_SCHEMA = {
  $id: 'Problem',
  type: 'object',
  description: 'An error (RFC 9457 problem details). `code` is stable; see docs/errors.md.',
  required: ['type', 'title', 'status', 'code', 'detail', 'hint', 'instance', 'requestId'],
  properties: {
    type: { type: 'string', description: 'urn:tipster:error:<code>' },
    title: { type: 'string', description: 'HTTP reason phrase' },
    status: { type: 'integer' },
    code: { type: 'string', enum: Object.keys(ERROR_CATALOGUE) },
    detail: { type: 'string', description: 'What went wrong' },
    hint: { type: 'string', description: 'How to fix it' },
    instance: { type: 'string', description: 'The request path' },
    requestId: { type: 'string', description: 'Also in the x-request-id header and the server log' },
    retryAfterSeconds: { type: 'integer' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'location', 'message'],
        properties: { field: { type: 'string' }, location: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const;

/** A response entry documenting errors as problem documents (used for every route's 4xx/5xx). */
export const PROBLEM_RESPONSE = Object.freeze({
  description: 'Error (application/problem+json, see docs/errors.md)',
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: 'Problem#' } } },
});
