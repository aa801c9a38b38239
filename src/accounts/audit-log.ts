import type { Kysely } from 'kysely';
import type { Database } from '../store/database-schema.js';
import type { Actor } from './user.js';

/** One recorded administrative action. */
export interface AuditEvent {
  readonly id: number;
  readonly atMs: number;
  readonly actorUserId: number | null;
  readonly actor: string;
  readonly action: string;
  readonly targetUserId: number | null;
  readonly target: string | null;
  readonly details: Readonly<Record<string, unknown>>;
  readonly requestId: string | null;
}

/** Appends an event to the audit trail (inside the caller's transaction, so it commits with the change). */
export async function appendAuditEvent(
  db: Kysely<Database>,
  event: { readonly actor: Actor; readonly action: string; readonly target?: { readonly userId: number; readonly username: string }; readonly details: Readonly<Record<string, unknown>> },
  nowMs: number,
): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      at_ms: nowMs,
      actor_user_id: event.actor.userId,
      actor: event.actor.name,
      action: event.action,
      target_user_id: event.target?.userId ?? null,
      target: event.target?.username ?? null,
      details: JSON.stringify(event.details),
      request_id: event.actor.requestId ?? null,
    })
    .execute();
}

/** Audit events, newest first, optionally about one user; `beforeId` pages further back. */
export async function listAuditEvents(
  db: Kysely<Database>,
  query: { readonly targetUserId?: number; readonly beforeId?: number; readonly limit: number },
): Promise<AuditEvent[]> {
  let select = db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(query.limit);
  if (query.targetUserId !== undefined) select = select.where('target_user_id', '=', query.targetUserId);
  if (query.beforeId !== undefined) select = select.where('id', '<', query.beforeId);
  const rows = await select.execute();
  return rows.map((row) => ({
    id: Number(row.id),
    atMs: Number(row.at_ms),
    actorUserId: row.actor_user_id === null ? null : Number(row.actor_user_id),
    actor: row.actor,
    action: row.action,
    targetUserId: row.target_user_id === null ? null : Number(row.target_user_id),
    target: row.target,
    details: JSON.parse(row.details) as Record<string, unknown>,
    requestId: row.request_id,
  }));
}
