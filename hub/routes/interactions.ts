import { idempotencyHeader, idempotencyKeyOf } from '../http/idempotency-key.ts';
import { getInteraction, loggedRefs, logInteraction, setAttendance } from '../repo/interactions.ts';
import { AttendanceBody, IdParams, LoggedRefsBody, LogInteractionBody } from '../http/schemas.ts';
import { route } from '../http/route.ts';

export const interactionRoutes = [
  route({
    method: 'POST',
    url: '/v1/interactions',
    auth: 'member',
    tag: 'interactions',
    summary: 'Log an interaction (idempotent)',
    description:
      'Send an Idempotency-Key; the same key again returns the first answer and writes nothing, the same key with another ' +
      'body is refused (422). A conversation already logged by a teammate — same source reference, same iCalendar UID and ' +
      'recurrence id, or the same normalised subject with the same external people within 30 days — is merged: the caller ' +
      'is added as a logger (outcome "merged"). A meeting logged again updates its attendance.',
    headers: [idempotencyHeader(true)],
    body: LogInteractionBody,
    responses: {
      201: 'created (outcome "created")',
      200: 'merged into an existing interaction, or already logged by you',
      400: 'invalid body or missing Idempotency-Key',
      422: 'Idempotency-Key reused with a different body',
    },
    returns: 'LogInteractionResponse',
    handler: async ({ db, who, body, req, reply }) => {
      const key = idempotencyKeyOf(req, true)!;
      const result = await logInteraction(db, who, key, body);
      reply.code(result.status);
      if (result.replayed) reply.header('Idempotent-Replayed', 'true');
      return result.body;
    },
  }),
  route({
    method: 'GET',
    url: '/v1/interactions/:id',
    auth: 'member',
    tag: 'interactions',
    summary: 'One interaction with loggers, participants and attendance',
    params: IdParams,
    responses: { 200: 'the interaction', 404: 'no such interaction in your team' },
    returns: 'Interaction',
    handler: async ({ db, who, params }) => getInteraction(db, who.teamId, params.id),
  }),
  route({
    method: 'POST',
    url: '/v1/interactions/logged',
    auth: 'member',
    tag: 'interactions',
    summary: 'Which source references (thread ids, iCalendar UIDs) are logged, and by whom',
    body: LoggedRefsBody,
    responses: { 200: 'only the references that are logged' },
    returns: 'LoggedRefsResponse',
    handler: async ({ db, who, body }) => ({ results: await loggedRefs(db, who.teamId, body.refs) }),
  }),
  route({
    method: 'PUT',
    url: '/v1/interactions/:id/attendance',
    auth: 'member',
    tag: 'interactions',
    summary: "Record who attended a meeting (merged per person with what's there)",
    params: IdParams,
    body: AttendanceBody,
    responses: { 200: 'the meeting', 404: 'no such interaction', 409: 'not a meeting (code not_a_meeting)' },
    returns: 'Interaction',
    handler: async ({ db, who, params, body }) => setAttendance(db, who, params.id, body.entries),
  }),
];
