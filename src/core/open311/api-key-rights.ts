/** What a key may do: submit service requests, and exchange status updates (servicerequestupdates). */
export const API_KEY_RIGHTS = ['requests', 'updates'] as const;
export type ApiKeyRight = (typeof API_KEY_RIGHTS)[number];
