/**
 * Photos of a report and evidence of a step are a list of references: an attachment's id, its URL
 * as the upload answered (`/api/v1/attachments/{id}`), or an outside link (an Open311 client's
 * `media_url`). Attachments are claimed for the case; links stay links.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const URL_PATH = /^\/api\/v1\/attachments\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function isAttachmentId(value: string): boolean {
  return UUID.test(value);
}

/** The attachment id a reference names, or null when it is a link or a plain name. */
export function attachmentIdOf(ref: string): string | null {
  const text = ref.trim().toLowerCase();
  if (UUID.test(text)) return text;
  return URL_PATH.exec(text)?.[1] ?? null;
}

export function attachmentUrl(id: string): string {
  return `/api/v1/attachments/${id}`;
}

export function thumbnailUrl(id: string): string {
  return `/api/v1/attachments/${id}/thumbnail`;
}

/** Splits references into attachment ids (once each, in order) and everything else. */
export function splitRefs(refs: readonly string[]): { attachmentIds: string[]; links: string[] } {
  const attachmentIds: string[] = [];
  const links: string[] = [];
  for (const ref of refs) {
    const id = attachmentIdOf(ref);
    if (id === null) links.push(ref);
    else if (!attachmentIds.includes(id)) attachmentIds.push(id);
  }
  return { attachmentIds, links };
}
