import type { ExternalRef } from '../../shared/wire-types';
import { t } from './t';

const CRM_NAMES: Record<string, string> = { hubspot: 'HubSpot' };

/** Only links to the CRM's own pages are followed: the URL comes from the hub, which is not trusted to be right. */
const CRM_LINK = /^https:\/\/app(-[a-z0-9]+)?\.hubspot\.com\//;

/**
 * "Synced to HubSpot · Open in HubSpot", or why not ("Not in HubSpot: none of the people in it is a contact"), for a
 * contact or a logged conversation (the hub's `external` field). Says nothing when the team has no CRM connected.
 */
export function CrmSync({ external }: { external?: ExternalRef[] }) {
  if (!external?.length) return null;
  return (
    <>
      {external.map((ref) => {
        const crm = CRM_NAMES[ref.provider] ?? ref.provider;
        const link = ref.state === 'synced' && ref.url && CRM_LINK.test(ref.url) ? ref.url : null;
        const text =
          ref.state === 'synced' ? t('crm_synced', crm)
          : ref.state === 'pending' || ref.state === 'creating' ? t('crm_pending', crm)
          : ref.state === 'deleted' ? t('crm_deleted', crm)
          : t('crm_not_synced', crm, ref.reason ?? '');
        return (
          <span key={ref.provider} class={`crm-sync crm-sync--${ref.state}`} data-liaison="crm-sync" data-state={ref.state}>
            <bdi>{text}</bdi>
            {link && (
              <>
                {' · '}
                <a href={link} target="_blank" rel="noopener noreferrer">
                  {t('crm_open', crm)}
                </a>
              </>
            )}
          </span>
        );
      })}
    </>
  );
}
