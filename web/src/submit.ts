import { api, ApiError, type IntakeAnswer, type IntakeBody, type Upload } from './api.ts';
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

/** Where a kept photo goes: the upload call, and the draft that records the result. */
export interface PhotoSink {
  upload(blob: Blob): Promise<Upload>;
  /** Puts the uploaded photo in place of the waiting one, or drops it (null). */
  replace(local: string, next: DraftPhoto | null): void;
}

/**
 * Uploads one photo kept in IndexedDB and records the upload through the sink; the blob is
 * deleted once the upload is recorded. A photo whose blob is gone (the browser's storage was
 * cleared) is dropped. Any failure is thrown, with the photo still waiting.
 */
export async function uploadKeptPhoto(photo: DraftPhoto, sink: PhotoSink): Promise<DraftPhoto | null> {
  if (photo.uploaded) return photo;
  const blob = await photoStore.get(photo.local);
  if (!blob) {
    sink.replace(photo.local, null); // lost with the browser's storage: nothing to send
    return null;
  }
  const up = await sink.upload(blob);
  const next: DraftPhoto = {
    ...photo,
    uploaded: { id: up.id, url: up.url, thumbnail_url: up.thumbnail_url, upload_key: up.upload_key },
  };
  sink.replace(photo.local, next);
  await photoStore.delete(photo.local);
  return next;
}

/**
 * Uploads one photo of the resident's draft. A network failure leaves it waiting (sendDraft
 * retries); a server without the attachments route drops it.
 */
export async function uploadPhoto(photo: DraftPhoto): Promise<void> {
  try {
    await uploadKeptPhoto(photo, { upload: api.upload, replace: replacePhoto });
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
