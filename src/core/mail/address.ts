/**
 * E-mail addresses as the platform keeps them: trimmed and lower-cased (follows are matched on the
 * address, and `Li@Example.org` is the same mailbox in practice), checked for a plausible shape.
 * Delivery is the real test; this only refuses what cannot be an address.
 */
const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/;

export const MAX_ADDRESS_LENGTH = 254;

export function normalizeAddress(input: string): string | null {
  const address = input.trim().toLowerCase();
  if (address.length > MAX_ADDRESS_LENGTH || !ADDRESS.test(address)) return null;
  return address;
}

/** Replaces anything shaped like an address, so that an SMTP error can be stored and logged. */
export function redactAddresses(text: string): string {
  return text.replace(/[^\s<>()[\]\\,;:"']+@[^\s<>()[\]\\,;:"']+/g, '<address>');
}
