import { addEmail, createContact, getContact, lookupJson, setOwner, updateContact } from '../repo/contacts.ts';
import { timeline } from '../repo/interactions.ts';
import { AddEmailBody, CreateContactBody, IdParams, LookupBody, OwnerBody, TimelineQuery, UpdateContactBody } from '../http/schemas.ts';
import { route } from '../http/route.ts';
import type { LookupResponse } from '../../shared/wire-types.ts';

export const contactRoutes = [
  route({
    method: 'POST',
    url: '/v1/lookup',
    auth: 'member',
    tag: 'contacts',
    summary: 'Look up up to 500 addresses at once',
    description:
      'For each address: the contact (company, owner, open flags, last interaction, counts by department, attendance) or null, ' +
      "and the member it belongs to when it is a colleague's. Answers in the order asked; one round trip for a whole thread.",
    body: LookupBody,
    responses: { 200: 'one result per address asked; one that is not an address is answered with no contact', 400: 'invalid body', 401: 'missing or bad token' },
    returns: 'LookupResponse',
    handler: async ({ db, who, body, reply }) => {
      reply.type('application/json; charset=utf-8');
      // What is not an address (a NUL, an unpaired surrogate, over-long, misshapen) is asked as '', which no contact
      // or member has, and answered as given: one odd address on a page must not fail the lookup of the others.
      const json = await lookupJson(db, who.teamId, body.emails.map((e) => e.address ?? ''));
      if (body.emails.every((e) => e.address !== null)) return json;
      const answer = JSON.parse(json) as LookupResponse;
      answer.results.forEach((result, i) => {
        const asked = body.emails[i]!;
        if (asked.address === null) result.email = asked.given.trim().toLowerCase();
      });
      return JSON.stringify(answer);
    },
  }),
  route({
    method: 'POST',
    url: '/v1/contacts',
    auth: 'member',
    tag: 'contacts',
    summary: 'Create a contact',
    description: 'The company is found or created by name, else from the first business email domain (never from free-mail domains).',
    body: CreateContactBody,
    responses: { 201: 'created', 400: 'invalid body', 409: 'an address already belongs to a contact (code email_taken)' },
    returns: 'ContactSummary',
    handler: async ({ db, who, body, reply }) => {
      const id = await db.transaction((tx) => createContact(tx, who.teamId, body));
      reply.code(201);
      return getContact(db, who.teamId, id);
    },
  }),
  route({
    method: 'GET',
    url: '/v1/contacts/:id',
    auth: 'member',
    tag: 'contacts',
    summary: 'One contact with its summary',
    params: IdParams,
    responses: { 200: 'the contact', 404: 'no such contact in your team' },
    returns: 'ContactSummary',
    handler: async ({ db, who, params }) => getContact(db, who.teamId, params.id),
  }),
  route({
    method: 'PATCH',
    url: '/v1/contacts/:id',
    auth: 'member',
    tag: 'contacts',
    summary: 'Update name, title, company or owner',
    description: 'Its owner or an admin may change a contact; a contact nobody owns, anyone in the team (403 `not_owner` otherwise).',
    params: IdParams,
    body: UpdateContactBody,
    responses: { 200: 'the updated contact', 400: 'invalid body', 403: 'someone else owns it (code not_owner)', 404: 'no such contact' },
    returns: 'ContactSummary',
    handler: async ({ db, who, params, body }) => {
      await db.transaction((tx) => updateContact(tx, who.teamId, params.id, body, who));
      return getContact(db, who.teamId, params.id);
    },
  }),
  route({
    method: 'PUT',
    url: '/v1/contacts/:id/owner',
    auth: 'member',
    tag: 'contacts',
    summary: 'Make a member the owner of a contact ("Make me the owner", hand it to a colleague), or nobody',
    description:
      'With expectedOwnerId (the owner you saw; null for nobody), a contact someone else took meanwhile is refused with 409 ' +
      '`owner_changed`, naming its owner, rather than taken from them. Asking for the owner it already has succeeds, so a ' +
      'retry is answered like the first request. Anyone may take a contact nobody owns; one someone owns, only they (handing it ' +
      'on) or an admin may move (403 `not_owner`).',
    params: IdParams,
    body: OwnerBody,
    responses: { 200: 'the contact', 400: 'invalid body or no such member', 403: 'someone else owns it (code not_owner)', 404: 'no such contact', 409: 'the owner changed meanwhile (code owner_changed)' },
    returns: 'ContactSummary',
    handler: async ({ db, who, params, body }) => {
      await db.transaction((tx) => setOwner(tx, who.teamId, params.id, body.ownerId, body.expectedOwnerId, who));
      return getContact(db, who.teamId, params.id);
    },
  }),
  route({
    method: 'POST',
    url: '/v1/contacts/:id/emails',
    auth: 'member',
    tag: 'contacts',
    summary: 'Add an address to a contact',
    description: 'Past interactions with that address join the contact’s timeline.',
    params: IdParams,
    body: AddEmailBody,
    responses: { 200: 'the contact', 404: 'no such contact', 409: 'the address belongs to another contact' },
    returns: 'ContactSummary',
    handler: async ({ db, who, params, body }) => {
      await db.transaction((tx) => addEmail(tx, who.teamId, params.id, body.email));
      return getContact(db, who.teamId, params.id);
    },
  }),
  route({
    method: 'GET',
    url: '/v1/contacts/:id/timeline',
    auth: 'member',
    tag: 'contacts',
    summary: "A contact's interactions, newest first",
    description: 'Keyset pagination: pass nextCursor as cursor for the next, older page.',
    params: IdParams,
    query: TimelineQuery,
    responses: { 200: 'one page', 400: 'bad cursor or limit', 404: 'no such contact' },
    returns: 'TimelinePage',
    handler: async ({ db, who, params, query }) => timeline(db, who.teamId, params.id, query.limit as number, query.cursor),
  }),
];
