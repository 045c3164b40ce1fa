import { useEffect, useState, type ChangeEvent } from 'react';
import { LIMITS } from '../config.ts';
import { updateDraft } from '../draft.ts';
import { useI18n } from '../i18n/index.tsx';
import { newId, photoStore, type DraftPhoto } from '../storage.ts';
import { photosSupported, uploadPhoto } from '../submit.ts';

/** A preview: the local file while it waits, the server's thumbnail once uploaded. */
function Preview({ photo, alt }: { photo: DraftPhoto; alt: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    if (photo.uploaded) {
      const thumb = photo.uploaded.thumbnail_url ?? photo.uploaded.url;
      // Until its case is public, a photo is shown only to whoever holds its upload key.
      setSrc(`${thumb}?key=${encodeURIComponent(photo.uploaded.upload_key)}`);
      return;
    }
    let url: string | null = null;
    let live = true;
    void photoStore.get(photo.local).then((blob) => {
      if (!blob || !live) return;
      url = URL.createObjectURL(blob);
      setSrc(url);
    });
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [photo.local, photo.uploaded]);
  return src ? <img src={src} alt={alt} /> : <span className="placeholder" />;
}

/** The words a photo list shows, in the page's own catalogue. */
export interface PhotoTexts {
  add: string;
  remove: string;
  uploading: string;
  failed: string;
  /** The alt text of a photo; its file name when absent. */
  alt?: string;
}

/** What a photo list does with the photos of its draft. */
export interface PhotoBinding {
  /** Adds a photo (its blob already kept in IndexedDB) to the draft, or takes one out. */
  change(change: (photos: DraftPhoto[]) => DraftPhoto[]): void;
  /** Uploads it in the background; a failure leaves it waiting for the next try. Absent: kept only. */
  upload?(photo: DraftPhoto): Promise<void>;
}

/**
 * Photos of a draft: each is put in IndexedDB the moment it is chosen (a reload or a lost
 * connection does not lose it) and, where the binding says so, uploaded in the background. The
 * resident's report (PhotoPicker below) and the grid worker's patrol report share it.
 */
export function KeptPhotos({
  photos,
  binding,
  texts,
  max = LIMITS.photos,
  capture,
  testId = 'photo-input',
}: {
  photos: DraftPhoto[];
  binding: PhotoBinding;
  texts: PhotoTexts;
  max?: number;
  /** `environment`: a phone opens its rear camera. */
  capture?: 'environment' | 'user';
  testId?: string;
}) {
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(0);

  const add = async (e: ChangeEvent<HTMLInputElement>) => {
    const files = [...(e.target.files ?? [])].slice(0, max - photos.length);
    e.target.value = '';
    setFailed(false);
    for (const file of files) {
      const photo: DraftPhoto = { local: newId(), name: file.name, uploaded: null };
      // Kept in IndexedDB first: a reload or a lost connection does not lose the photo.
      await photoStore.put(photo.local, file);
      binding.change((list) => [...list, photo]);
      if (!binding.upload) continue;
      setBusy((n) => n + 1);
      binding
        .upload(photo)
        .catch(() => setFailed(true))
        .finally(() => setBusy((n) => n - 1));
    }
  };

  const remove = (photo: DraftPhoto) => {
    binding.change((list) => list.filter((p) => p.local !== photo.local));
    void photoStore.delete(photo.local);
  };

  return (
    <div className="photos">
      <ul>
        {photos.map((p) => (
          <li key={p.local} data-uploaded={p.uploaded ? 'true' : 'false'}>
            <Preview photo={p} alt={texts.alt ?? p.name} />
            <button type="button" className="remove" onClick={() => remove(p)} aria-label={texts.remove}>
              ×
            </button>
          </li>
        ))}
        {photos.length < max && (
          <li>
            <label className="add">
              <span aria-hidden="true">＋</span>
              <span className="small">{texts.add}</span>
              <input
                type="file"
                accept="image/*"
                multiple
                {...(capture ? { capture } : {})}
                onChange={(e) => void add(e)}
                data-testid={testId}
              />
            </label>
          </li>
        )}
      </ul>
      {busy > 0 && <p className="muted small">{texts.uploading}</p>}
      {failed && <p className="muted small">{texts.failed}</p>}
    </div>
  );
}

/** The resident's report photos: uploaded as soon as chosen, retried when the report is sent. */
export function PhotoPicker({ photos }: { photos: DraftPhoto[] }) {
  const { t } = useI18n();
  const [supported, setSupported] = useState(photosSupported());
  const binding: PhotoBinding = {
    change: (change) => updateDraft((d) => ({ ...d, photos: change(d.photos) })),
    upload: (photo) => uploadPhoto(photo).finally(() => setSupported(photosSupported())),
  };
  if (!supported) return <p className="muted">{t('report.photos.unavailable')}</p>;
  return (
    <KeptPhotos
      photos={photos}
      binding={binding}
      texts={{
        add: t('report.photos.add'),
        remove: t('report.photos.remove'),
        uploading: t('report.photos.uploading'),
        failed: t('report.photos.failed'),
      }}
    />
  );
}
