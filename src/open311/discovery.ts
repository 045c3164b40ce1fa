import { bilingual, OPEN311_TEXTS } from '../i18n/open311.ts';

/** When this server's Open311 interface last changed in a way clients may notice. */
export const OPEN311_CHANGESET = '2026-03-01T00:00:00Z';

/**
 * GET discovery: the one endpoint of this server, in production, in both formats. API keys are
 * issued by administrators (`POST /api/v1/open311/keys`), which `key_service` says.
 */
export function discovery(url: string) {
  return {
    changeset: OPEN311_CHANGESET,
    contact: bilingual(OPEN311_TEXTS.discoveryContact),
    key_service: bilingual(OPEN311_TEXTS.keyService),
    endpoints: [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url,
        changeset: OPEN311_CHANGESET,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ],
  };
}
