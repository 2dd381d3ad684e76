import { closeFlag, completeTask, createTask, listTasks, setFlag } from '../repo/flags-tasks.ts';
import { FlagBody, IdParams, TaskBody, TasksQuery } from '../http/schemas.ts';
import { route } from '../http/route.ts';

export const flagTaskRoutes = [
  route({
    method: 'POST',
    url: '/v1/contacts/:id/flags',
    auth: 'member',
    tag: 'flags',
    summary: 'Flag a contact (open-service-issue, do-not-contact, key-account, …)',
    params: IdParams,
    body: FlagBody,
    responses: { 201: 'the new flag', 400: 'invalid body', 404: 'no such contact' },
    returns: 'Flag',
    handler: async ({ db, who, params, body, reply }) => {
      reply.code(201);
      return db.transaction((tx) => setFlag(tx, who.teamId, who.memberId, params.id, body.kind, body.note ?? null));
    },
  }),
  route({
    method: 'POST',
    url: '/v1/flags/:id/close',
    auth: 'member',
    tag: 'flags',
    summary: 'Close a flag (idempotent)',
    params: IdParams,
    responses: { 200: 'the flag, closed', 404: 'no such flag' },
    returns: 'Flag',
    handler: async ({ db, who, params }) => db.transaction((tx) => closeFlag(tx, who.teamId, who.memberId, params.id)),
  }),
  route({
    method: 'GET',
    url: '/v1/tasks',
    auth: 'member',
    tag: 'tasks',
    summary: 'Follow-up tasks (open first, by due date)',
    query: TasksQuery,
    responses: { 200: '{ items: Task[] }' },
    returns: 'Task[]',
    handler: async ({ db, who, query }) => ({ items: await listTasks(db, who.teamId, who.memberId, query.status, query.assignee) }),
  }),
  route({
    method: 'POST',
    url: '/v1/tasks',
    auth: 'member',
    tag: 'tasks',
    summary: 'Create a follow-up task (assigned to you unless assigneeId says otherwise)',
    body: TaskBody,
    responses: { 201: 'the task', 400: 'invalid body or unknown reference' },
    returns: 'Task',
    handler: async ({ db, who, body, reply }) => {
      reply.code(201);
      return db.transaction((tx) => createTask(tx, who.teamId, who.memberId, body));
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
