import type { ExternalRef } from '../../shared/wire-types';
import { tx } from './isolate';

const CRM_NAMES: Record<string, string> = { hubspot: 'HubSpot' };

/** Where each CRM's own pages live: a link the hub hands over is followed only to one of these (https, no credentials). */
const CRM_HOSTS: Record<string, string> = { hubspot: 'hubspot.com' };

/**
 * The URL comes from the hub, which is not trusted to be right (a bad import, a compromised hub): only an https link
 * to the CRM's own domain or one of its subdomains (app.hubspot.com, app-eu1.hubspot.com) is shown. Parsed, not
 * matched as text, so `https://app.hubspot.com.evil.example/` or `https://app.hubspot.com@evil.example/` is refused.
 */
export function crmLink(provider: string, url: string | null): string | null {
  const host = CRM_HOSTS[provider];
  if (!host || !url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return null;
  const h = parsed.hostname.toLowerCase();
  return h === host || h.endsWith(`.${host}`) ? parsed.href : null;
}

/**
 * "Synced to HubSpot · Open in HubSpot", or why not ("Not in HubSpot: none of the people in it is a contact"), for a
 * contact or a logged conversation (the hub's `external` field); "from HubSpot" for history imported from it. Says
 * nothing when the team has no CRM connected. The hub's reason is its own isolate (it is text from elsewhere).
 */
export function CrmSync({ external, source }: { external?: ExternalRef[]; source?: string }) {
  if (!external?.length) return null;
  return (
    <>
      {external.map((ref) => {
        const crm = CRM_NAMES[ref.provider] ?? ref.provider;
        const link = ref.state === 'synced' ? crmLink(ref.provider, ref.url) : null;
        const text =
          source === ref.provider ? tx('crm_from', crm)
          : ref.state === 'synced' ? tx('crm_synced', crm)
          : ref.state === 'pending' || ref.state === 'creating' ? tx('crm_pending', crm)
          : ref.state === 'deleted' ? tx('crm_deleted', crm)
          : tx('crm_not_synced', crm, ref.reason ?? '');
        return (
          <span key={ref.provider} class={`crm-sync crm-sync--${ref.state}`} data-liaison="crm-sync" data-state={ref.state}>
            {text}
            {link && (
              <>
                {' · '}
                <a href={link} target="_blank" rel="noopener noreferrer">
                  {tx('crm_open', crm)}
                </a>
              </>
            )}
          </span>
        );
      })}
    </>
  );
}
