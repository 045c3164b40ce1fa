import { api, ApiError, type IntakeAnswer, type IntakeBody } from './api.ts';
import { SITE_REGION } from './config.ts';
import { getDraft, resetDraft, updateDraft } from './draft.ts';
import { keepKey, photoStore, type Draft, type DraftPhoto } from './storage.ts';

/** False once the server answered that it has no attachments API: reports go without photos. */
let uploadsAvailable = true;
export const photosSupported = () => uploadsAvailable;

const replacePhoto = (local: string, next: DraftPhoto | null) =>
  updateDraft((d) => ({
    ...d,
    photos: d.photos.flatMap((p) => (p.local === local ? (next ? [next] : []) : [p])),
  }));

/**
 * Uploads one photo kept in IndexedDB and records the upload in the draft. A network failure
 * leaves it waiting (sendDraft retries); a server without the attachments route drops it.
 */
export async function uploadPhoto(photo: DraftPhoto): Promise<void> {
  if (photo.uploaded) return;
  const blob = await photoStore.get(photo.local);
  if (!blob) {
    replacePhoto(photo.local, null); // lost with the browser's storage: nothing to send
    return;
  }
  try {
    const up = await api.upload(blob);
    replacePhoto(photo.local, {
      ...photo,
      uploaded: { id: up.id, url: up.url, thumbnail_url: up.thumbnail_url, upload_key: up.upload_key },
    });
    await photoStore.delete(photo.local);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 405)) {
      uploadsAvailable = false;
      replacePhoto(photo.local, null);
      await photoStore.delete(photo.local);
      return;
    }
    throw error;
  }
}

function intakeBody(draft: Draft): IntakeBody {
  const address = draft.address.trim();
  const title = draft.title.trim();
  return {
    channel: 'web',
    ...(draft.category ? { category: draft.category.code } : {}),
    title,
    description: draft.description.trim() || title,
    location: {
      // Without a point, intake places an address in the region it names: this site's county.
      ...(draft.point ? { lon: draft.point.lon, lat: draft.point.lat } : { region: SITE_REGION }),
      ...(address ? { address } : {}),
    },
    photos: draft.photos.flatMap((p) => (p.uploaded ? [p.uploaded.url] : [])),
    ...(draft.anonymous
      ? { anonymous: true }
      : {
          reporter: {
            ...(draft.name.trim() ? { name: draft.name.trim() } : {}),
            ...(draft.phone.trim() ? { phone: draft.phone.trim() } : {}),
            ...(draft.email.trim() ? { email: draft.email.trim() } : {}),
          },
        }),
    idempotency_key: draft.id,
  };
}

let inFlight: Promise<IntakeAnswer> | null = null;

/**
 * Sends the draft: its photos first, then the report with the draft's idempotency key, so that a
 * retry after a lost answer returns the same case. On success the reporter key is kept by
 * reference and the draft starts afresh. A NetworkError leaves the draft as it is (queued when
 * the caller says so) for the `online` event.
 */
export function sendDraft(): Promise<IntakeAnswer> {
  inFlight ??= (async () => {
    try {
      for (const photo of getDraft().photos) await uploadPhoto(photo);
      const sent = getDraft();
      const answer = await api.report(intakeBody(sent));
      keepKey(answer.reference, {
        key: answer.reporter_key ?? '',
        id: answer.id,
        at: new Date().toISOString(),
        uploads: Object.fromEntries(
          sent.photos.flatMap((p) => (p.uploaded ? [[p.uploaded.url, p.uploaded.upload_key]] : [])),
        ),
      });
      resetDraft();
      return answer;
    } finally {
      inFlight = null;
    }
  })();
  return inFlight;
}
