import type { Queryable } from '../db/index.ts';
import { closeFlag, completeTask, createTask, listTasks, setCompanyFlag, setFlag } from '../repo/flags-tasks.ts';
import { idempotentWrite } from '../repo/idempotency.ts';
import { idempotencyHeader, idempotencyKeyOf } from '../http/idempotency-key.ts';
import { CloseFlagBody, FlagBody, IdParams, TaskBody, TasksQuery } from '../http/schemas.ts';
import { route, type RouteContext } from '../http/route.ts';

/** Runs a create as an idempotent write when the client sent a key, and answers 201 (or what the first answer was). */
async function create<T>(ctx: RouteContext<unknown, unknown, unknown>, write: (tx: Queryable) => Promise<T>) {
  const { db, who, req, reply, body } = ctx;
  const key = idempotencyKeyOf(req, false);
  // The path (with its id) is part of the request: the same key sent to another contact is another request.
  const result = await idempotentWrite(db, who, key, { route: `${req.method} ${req.url.split('?')[0]}`, body }, 201, write);
  reply.code(result.status);
  if (result.replayed) reply.header('Idempotent-Replayed', 'true');
  return result.body;
}

const FLAG_DESCRIPTION =
  'A heads-up the team sees before it writes or calls: who raised it, their department and when show with it. ' +
  '`until` (optional) is when it lapses by itself. Send an Idempotency-Key when retrying: the same key again returns the ' +
  'first answer and raises nothing more.';

export const flagTaskRoutes = [
  route({
    method: 'POST',
    url: '/v1/contacts/:id/flags',
    auth: 'member',
    tag: 'flags',
    summary: 'Flag a contact (open-service-issue, do-not-contact, key-account, …)',
    description: FLAG_DESCRIPTION,
    params: IdParams,
    body: FlagBody,
    headers: [idempotencyHeader(false)],
    responses: { 201: 'the new flag', 400: 'invalid body', 404: 'no such contact', 422: 'Idempotency-Key reused with a different request' },
    returns: 'Flag',
    handler: async (ctx) => {
      const { who, params, body } = ctx;
      return create(ctx, (tx) => setFlag(tx, who.teamId, who.memberId, params.id, body.kind, body.note ?? null, body.until ?? null));
    },
  }),
  route({
    method: 'POST',
    url: '/v1/companies/:id/flags',
    auth: 'member',
    tag: 'flags',
    summary: 'Flag a whole company: the heads-up shows on every contact of it',
    description: FLAG_DESCRIPTION,
    params: IdParams,
    body: FlagBody,
    headers: [idempotencyHeader(false)],
    responses: { 201: 'the new flag', 400: 'invalid body', 404: 'no such company', 422: 'Idempotency-Key reused with a different request' },
    returns: 'Flag',
    handler: async (ctx) => {
      const { who, params, body } = ctx;
      return create(ctx, (tx) => setCompanyFlag(tx, who.teamId, who.memberId, params.id, body.kind, body.note ?? null, body.until ?? null));
    },
  }),
  route({
    method: 'POST',
    url: '/v1/flags/:id/close',
    auth: 'member',
    tag: 'flags',
    summary: 'Close a flag, optionally saying what resolved it (idempotent)',
    description:
      'Closing a closed flag answers it as it is: when two people close one flag at once, the first closer and resolution ' +
      'stand. The body may be left out.',
    params: IdParams,
    body: CloseFlagBody,
    bodyOptional: true,
    responses: { 200: 'the flag, closed', 404: 'no such flag' },
    returns: 'Flag',
    handler: async ({ db, who, params, body }) => db.transaction((tx) => closeFlag(tx, who.teamId, who.memberId, params.id, body.resolution ?? null)),
  }),
  route({
    method: 'GET',
    url: '/v1/tasks',
    auth: 'member',
    tag: 'tasks',
    summary: 'Follow-up tasks (open first, by due date: overdue first)',
    description: 'Filters combine: `assignee=me`, `assigneeId` (one member’s), `contactId` (one contact’s). At most 500.',
    query: TasksQuery,
    responses: { 200: '{ items: Task[] }' },
    returns: 'Task[]',
    handler: async ({ db, who, query }) => ({
      items: await listTasks(db, who.teamId, who.memberId, query.status, query.assignee, { contactId: query.contactId, assigneeId: query.assigneeId }),
    }),
  }),
  route({
    method: 'POST',
    url: '/v1/tasks',
    auth: 'member',
    tag: 'tasks',
    summary: 'Create a follow-up task (assigned to you unless assigneeId says otherwise)',
    description: 'Send an Idempotency-Key when retrying: the same key again returns the first answer and creates nothing more.',
    body: TaskBody,
    headers: [idempotencyHeader(false)],
    responses: { 201: 'the task', 400: 'invalid body or unknown reference', 422: 'Idempotency-Key reused with a different request' },
    returns: 'Task',
    handler: async (ctx) => {
      const { who, body } = ctx;
      return create(ctx, (tx) => createTask(tx, who.teamId, who.memberId, body));
    },
  }),
  route({
    method: 'POST',
    url: '/v1/tasks/:id/complete',
    auth: 'member',
    tag: 'tasks',
    summary: 'Mark a task done (idempotent)',
    params: IdParams,
    responses: { 200: 'the task', 404: 'no such task' },
    returns: 'Task',
    handler: async ({ db, who, params }) => db.transaction((tx) => completeTask(tx, who.teamId, who.memberId, params.id)),
  }),
];
