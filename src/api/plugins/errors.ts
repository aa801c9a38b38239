import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isTipsterError, type ErrorCode, TipsterError } from '../../core/errors.js';
import { definePlugin } from '../define-plugin.js';
import { PROBLEM_CONTENT_TYPE, PROBLEM_SCHEMA, problemFor, type Problem, type ProblemFieldError } from '../problem.js';

const LOCATION_NAMES: Readonly<Record<string, string>> = { body: 'body', querystring: 'query', params: 'path', headers: 'headers' };

interface ValidationIssue {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}

/** `/bankroll/amount` → `bankroll.amount`; the property an ajv error is about, whatever the keyword. */
function fieldOf(issue: ValidationIssue, location: string): string {
  const path = issue.instancePath.split('/').filter(Boolean).join('.');
  const child = issue.params.additionalProperty ?? issue.params.missingProperty;
  if (typeof child === 'string') return path === '' ? child : `${path}.${child}`;
  return path === '' ? location : path;
}

/** A message a person can act on; ajv's own for the rarer keywords. */
function describeIssue(issue: ValidationIssue): string {
  const p = issue.params;
  switch (issue.keyword) {
    case 'additionalProperties':
      return 'unknown field';
    case 'required':
      return 'is required';
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'type':
      return `must be of type ${String(p.type)}`;
    case 'minProperties':
      return 'needs at least one field';
    case 'minLength':
      return `must have at least ${String(p.limit)} character(s)`;
    case 'maxLength':
      return `must have at most ${String(p.limit)} characters`;
    default:
      return issue.message ?? 'is invalid';
  }
}

/** Turns ajv's errors into the field list of a problem; unknown fields get their own code. */
function validationProblem(error: FastifyError, context: { instance: string; requestId: string }): Problem {
  const location = LOCATION_NAMES[error.validationContext ?? 'body'] ?? 'body';
  const issues = (error.validation ?? []) as readonly ValidationIssue[];
  const errors: ProblemFieldError[] = issues.map((issue) => ({ field: fieldOf(issue, location), location, message: describeIssue(issue) }));
  const unknown = issues.filter((i) => i.keyword === 'additionalProperties').map((issue) => fieldOf(issue, location));
  if (unknown.length > 0 && unknown.length === issues.length) {
    const e = new TipsterError('TIPSTER_ERR_API_UNKNOWN_FIELD', { location, fields: unknown.join(', ') });
    return problemFor(e.code, e.message, e.hint, context, { errors });
  }
  const first = errors[0];
  const detail = first === undefined ? 'it does not match the schema' : `${first.field}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`;
  const e = new TipsterError('TIPSTER_ERR_API_VALIDATION_FAILED', { location, detail });
  return problemFor(e.code, e.message, e.hint, context, { errors });
}

/** Maps whatever was thrown to a problem document; nothing internal (stack, SQL, paths) reaches the client. */
export function toProblem(error: unknown, request: FastifyRequest): Problem {
  const context = { instance: request.url.split('?')[0] ?? request.url, requestId: request.id };
  const fastifyError = error as Partial<FastifyError> & { name?: string };
  if (fastifyError.validation !== undefined) return validationProblem(error as FastifyError, context);
  if (isTipsterError(error)) {
    // 5xx TipsterErrors describe the server's insides; only "unavailable" (503) is the client's business.
    if (error.statusCode < 500 || error.statusCode === 503) {
      const retry = error.params.retryAfterSeconds;
      return problemFor(error.code, error.message, error.hint, context, typeof retry === 'number' ? { retryAfterSeconds: retry } : {});
    }
  } else {
    const status = fastifyError.statusCode ?? 500;
    const mapped: ErrorCode | undefined =
      status === 413
        ? 'TIPSTER_ERR_API_BODY_TOO_LARGE'
        : status === 415
          ? 'TIPSTER_ERR_API_UNSUPPORTED_MEDIA_TYPE'
          : status === 404
            ? 'TIPSTER_ERR_API_ROUTE_NOT_FOUND'
            : status >= 400 && status < 500
              ? 'TIPSTER_ERR_API_MALFORMED_REQUEST'
              : undefined;
    if (mapped !== undefined) {
      const e = new TipsterError(mapped, {
        contentType: String(request.headers['content-type'] ?? '(none)').split(';')[0] ?? '',
        method: request.method,
        path: context.instance,
        // JSON.parse messages quote the body (it may hold a password): never pass them on.
        reason: fastifyError.name === 'SyntaxError' ? 'the body is not valid JSON' : String(fastifyError.code ?? '').startsWith('FST_') ? (fastifyError.message ?? 'bad request') : 'bad request',
      });
      return problemFor(e.code, e.message, e.hint, context);
    }
  }
  const internal = new TipsterError('TIPSTER_ERR_API_INTERNAL', { requestId: request.id });
  return problemFor(internal.code, internal.message, internal.hint, context);
}

/** Sends a problem with the headers its status calls for. */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  if (problem.status === 401) {
    const tokenProblem = problem.code === 'TIPSTER_ERR_AUTH_TOKEN_EXPIRED' || problem.code === 'TIPSTER_ERR_AUTH_TOKEN_INVALID';
    reply.header('www-authenticate', tokenProblem ? 'Bearer realm="tipster", error="invalid_token"' : 'Bearer realm="tipster"');
  }
  if (problem.retryAfterSeconds !== undefined) reply.header('retry-after', String(problem.retryAfterSeconds));
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

/**
 * One error handler for the whole app: every failure becomes application/problem+json with a
 * catalogued code and the request id. Unexpected errors are logged in full and answered with a 500
 * that says nothing more than where to look.
 */
export const errorsPlugin = definePlugin({ name: 'tipster-errors', shared: true }, async (app) => {
  app.addSchema(PROBLEM_SCHEMA);

  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error, request);
    if (problem.status >= 500 && problem.code !== 'TIPSTER_ERR_STORE_UNREACHABLE' && problem.code !== 'TIPSTER_ERR_STORE_NOT_MIGRATED') {
      request.log.error({ err: error, code: problem.code }, 'request failed');
    } else {
      // Never the message: a validation or parse error may quote what the client sent.
      request.log.info({ code: problem.code, status: problem.status }, 'request rejected');
    }
    return sendProblem(reply, problem);
  });

  app.setNotFoundHandler((request, reply) => {
    const e = new TipsterError('TIPSTER_ERR_API_ROUTE_NOT_FOUND', { method: request.method, path: request.url.split('?')[0] ?? '' });
    return sendProblem(reply, problemFor(e.code, e.message, e.hint, { instance: request.url.split('?')[0] ?? '', requestId: request.id }));
  });

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
    // API answers are per user and may carry tokens: no shared or browser cache keeps them unless a route says so.
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
});

