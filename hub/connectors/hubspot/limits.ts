/**
 * HubSpot's documented limits for private apps (developers.hubspot.com, "API usage guidelines"; the burst and
 * daily figures as raised for Professional and Enterprise accounts):
 *
 *   tier                     burst (any 10 s, rolling)   daily
 *   free / starter           100                         250,000
 *   professional             190                         650,000
 *   enterprise               190                         1,000,000
 *   API limit increase pack  250                         +1,000,000 per pack
 *
 * The CRM search endpoints have a limit of their own, a few requests per second per account (documented as 4 per
 * second per token, later 5 per account): we keep to 4. A search request also counts towards the burst.
 * The default is Professional; an admin chooses the account's tier when connecting.
 */
import type { Budget } from '../limiter.ts';

export const HUBSPOT_TIERS = ['starter', 'professional', 'enterprise', 'capacity-pack'] as const;
export type HubSpotTier = (typeof HUBSPOT_TIERS)[number];

export interface HubSpotLimits {
  tier: HubSpotTier;
  requestsPer10s: number;
  daily: number;
  searchPerSecond: number;
  /** Kept between a request leaving and the CRM counting it (network jitter), ms. */
  marginMs: number;
}

const TABLE: Record<HubSpotTier, Omit<HubSpotLimits, 'tier' | 'marginMs' | 'searchPerSecond'>> = {
  starter: { requestsPer10s: 100, daily: 250_000 },
  professional: { requestsPer10s: 190, daily: 650_000 },
  enterprise: { requestsPer10s: 190, daily: 1_000_000 },
  'capacity-pack': { requestsPer10s: 250, daily: 1_650_000 },
};

export function limitsFor(tier: HubSpotTier = 'professional'): HubSpotLimits {
  return { tier, ...TABLE[tier], searchPerSecond: 4, marginMs: 100 };
}

export function burstBudget(l: HubSpotLimits): Budget {
  return { limit: l.requestsPer10s, windowMs: 10_000, marginMs: l.marginMs, daily: l.daily };
}

export function searchBudget(l: HubSpotLimits): Budget {
  return { limit: l.searchPerSecond, windowMs: 1_000, marginMs: l.marginMs, daily: 0 };
}
