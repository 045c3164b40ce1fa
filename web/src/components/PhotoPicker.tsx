import { useEffect, useState, type ChangeEvent } from 'react';
import { LIMITS } from '../config.ts';
import { updateDraft } from '../draft.ts';
import { useI18n } from '../i18n/index.tsx';
import { newId, photoStore, type DraftPhoto } from '../storage.ts';
import { photosSupported, uploadPhoto } from '../submit.ts';

/** A preview: the local file while it waits, the server's thumbnail once uploaded. */
function Preview({ photo }: { photo: DraftPhoto }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    if (photo.uploaded) {
      const thumb = photo.uploaded.thumbnail_url ?? photo.uploaded.url;
      // Until its case is public, a photo is shown only to whoever holds its upload key.
      setSrc(`${thumb}?key=${encodeURIComponent(photo.uploaded.upload_key)}`);
      return;
    }
    let url: string | null = null;
    void photoStore.get(photo.local).then((blob) => {
      if (!blob) return;
      url = URL.createObjectURL(blob);
      setSrc(url);
    });
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [photo.local, photo.uploaded]);
  return src ? <img src={src} alt={photo.name} /> : <span className="placeholder" />;
}

export function PhotoPicker({ photos }: { photos: DraftPhoto[] }) {
  const { t } = useI18n();
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(0);
  const [supported, setSupported] = useState(photosSupported());

  const add = async (e: ChangeEvent<HTMLInputElement>) => {
    const files = [...(e.target.files ?? [])].slice(0, LIMITS.photos - photos.length);
    e.target.value = '';
    setFailed(false);
    for (const file of files) {
      const photo: DraftPhoto = { local: newId(), name: file.name, uploaded: null };
      // Kept in IndexedDB first: a reload or a lost connection does not lose the photo.
      await photoStore.put(photo.local, file);
      updateDraft((d) => ({ ...d, photos: [...d.photos, photo] }));
      setBusy((n) => n + 1);
      uploadPhoto(photo)
        .catch(() => setFailed(true))
        .finally(() => {
          setBusy((n) => n - 1);
          setSupported(photosSupported());
        });
    }
  };

  const remove = (photo: DraftPhoto) => {
    updateDraft((d) => ({ ...d, photos: d.photos.filter((p) => p.local !== photo.local) }));
    void photoStore.delete(photo.local);
  };

  if (!supported) return <p className="muted">{t('report.photos.unavailable')}</p>;
  return (
    <div className="photos">
      <ul>
        {photos.map((p) => (
          <li key={p.local} data-uploaded={p.uploaded ? 'true' : 'false'}>
            <Preview photo={p} />
            <button
              type="button"
              className="remove"
              onClick={() => remove(p)}
              aria-label={t('report.photos.remove')}
            >
              ×
            </button>
          </li>
        ))}
        {photos.length < LIMITS.photos && (
          <li>
            <label className="add">
              <span>＋</span>
              <span className="small">{t('report.photos.add')}</span>
              <input
                type="file"
                accept="image/*"
                multiple
                onChange={(e) => void add(e)}
                data-testid="photo-input"
              />
            </label>
          </li>
        )}
      </ul>
      {busy > 0 && <p className="muted small">{t('report.photos.uploading')}</p>}
      {failed && <p className="muted small">{t('report.photos.failed')}</p>}
    </div>
  );
}
