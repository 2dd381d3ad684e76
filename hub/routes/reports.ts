import { route } from '../http/route.ts';
import { NoShowsQuery } from '../http/schemas.ts';
import { noShows } from '../repo/reports.ts';

export const reportRoutes = [
  route({
    method: 'GET',
    url: '/v1/reports/no-shows',
    auth: 'member',
    tag: 'reports',
    summary: 'No-shows per member and per contact for a period (default: the last 90 days)',
    query: NoShowsQuery,
    responses: { 200: '{ from, to, members: [...], contacts: [...] }' },
    handler: async ({ db, who, query }) => {
      const to = query.to ?? new Date().toISOString();
      const from = query.from ?? new Date(Date.parse(to) - 90 * 86_400_000).toISOString();
      return noShows(db, who.teamId, from, to);
    },
  }),
];
