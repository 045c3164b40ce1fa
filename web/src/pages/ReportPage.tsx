import { useState } from 'react';
import { api, ApiError, NetworkError, type Label, type PublicDuplicate } from '../api.ts';
import { CategoryPicker } from '../components/CategoryPicker.tsx';
import { Duplicates } from '../components/Duplicates.tsx';
import { MapPicker } from '../components/MapPicker.tsx';
import { PhotoPicker } from '../components/PhotoPicker.tsx';
import { LIMITS } from '../config.ts';
import { resetDraft, restoredOnLoad, updateDraft, useDraft } from '../draft.ts';
import { useI18n } from '../i18n/index.tsx';
import type { MessageKey } from '../i18n/zh.ts';
import { navigate } from '../router.ts';
import { isBlank, photoStore, type Draft } from '../storage.ts';
import { sendDraft } from '../submit.ts';

type Phase =
  | { step: 'edit' }
  | { step: 'checking' }
  | { step: 'duplicates'; items: PublicDuplicate[] }
  | { step: 'sending' };

export function ReportPage({
  sendError,
  clearSendError,
}: {
  sendError: Label | null;
  clearSendError(): void;
}) {
  const { t, pick } = useI18n();
  const draft = useDraft();
  const [phase, setPhase] = useState<Phase>({ step: 'edit' });
  const [problem, setProblem] = useState<MessageKey | Label | null>(null);
  const [showRestored, setShowRestored] = useState(restoredOnLoad && !isBlank(draft));
  const [locating, setLocating] = useState(false);
  const set = (change: Partial<Draft>) => updateDraft((d) => ({ ...d, ...change }));

  const locate = () => {
    if (!navigator.geolocation) return setProblem('report.locate.failed');
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        const r = (v: number) => Math.round(v * 1e6) / 1e6;
        set({ point: { lon: r(pos.coords.longitude), lat: r(pos.coords.latitude) } });
      },
      () => {
        setLocating(false);
        setProblem('report.locate.failed');
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  const send = async () => {
    setPhase({ step: 'sending' });
    try {
      const answer = await sendDraft();
      navigate(`/done/${encodeURIComponent(answer.reference)}`);
    } catch (error) {
      setPhase({ step: 'edit' });
      if (error instanceof NetworkError) {
        set({ queued: true }); // App sends it when the `online` event fires
      } else {
        setProblem(error instanceof ApiError ? error.label : 'error.network');
      }
    }
  };

  const submit = async () => {
    clearSendError();
    setProblem(null);
    if (!draft.title.trim()) return setProblem('report.need.what');
    if (!draft.point && !draft.address.trim()) return setProblem('report.need.where');
    if (!navigator.onLine) return set({ queued: true });
    // "Is it one of these?" needs a category and a point, as intake's own suggestion does.
    if (draft.category && draft.point) {
      setPhase({ step: 'checking' });
      try {
        const { items } = await api.duplicates({ ...draft.point, category: draft.category.code });
        if (items.length > 0) return setPhase({ step: 'duplicates', items });
      } catch {
        // no suggestions on a bad connection: the report itself matters more
      }
    }
    await send();
  };

  const startOver = () => {
    for (const p of draft.photos) void photoStore.delete(p.local);
    resetDraft();
    setShowRestored(false);
    setProblem(null);
  };

  const shownError = problem ?? sendError;
  if (phase.step === 'duplicates') return <Duplicates items={phase.items} onNone={() => void send()} />;

  return (
    <form
      className="report"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h1>{t('report.title')}</h1>
      {showRestored && (
        <p className="banner info" data-testid="draft-restored">
          {t('report.draft.restored')}{' '}
          <button type="button" className="link" onClick={startOver}>
            {t('report.draft.clear')}
          </button>
        </p>
      )}
      {draft.queued && (
        <p className="banner queued" role="status" data-testid="queued">
          {t('net.queued')}
        </p>
      )}

      <section className="card">
        <h2>{t('report.category')}</h2>
        <CategoryPicker value={draft.category} onChange={(category) => set({ category })} />
        {!draft.category && <p className="muted small">{t('report.category.skip')}</p>}
      </section>

      <section className="card">
        <h2>{t('report.where')}</h2>
        <MapPicker point={draft.point} onPick={(point) => set({ point })} />
        <button type="button" className="secondary" onClick={locate} disabled={locating}>
          {locating ? t('report.locating') : t('report.locate')}
        </button>
        <label>
          {t('report.address')}
          <input
            value={draft.address}
            maxLength={LIMITS.address}
            placeholder={t('report.address.placeholder')}
            onChange={(e) => set({ address: e.target.value })}
            name="address"
          />
        </label>
      </section>

      <section className="card">
        <label>
          {t('report.what')}
          <input
            value={draft.title}
            maxLength={LIMITS.title}
            placeholder={t('report.what.placeholder')}
            onChange={(e) => set({ title: e.target.value })}
            name="title"
            required
          />
        </label>
        <label>
          {t('report.details')}
          <textarea
            value={draft.description}
            maxLength={LIMITS.description}
            rows={3}
            placeholder={t('report.details.placeholder')}
            onChange={(e) => set({ description: e.target.value })}
            name="description"
          />
        </label>
      </section>

      <section className="card">
        <h2>{t('report.photos', { max: LIMITS.photos })}</h2>
        <PhotoPicker photos={draft.photos} />
      </section>

      <section className="card">
        <h2>{t('report.who')}</h2>
        <label className="choice">
          <input
            type="radio"
            name="who"
            checked={draft.anonymous}
            onChange={() => set({ anonymous: true })}
          />
          {t('report.anonymous')}
        </label>
        <label className="choice">
          <input
            type="radio"
            name="who"
            checked={!draft.anonymous}
            onChange={() => set({ anonymous: false })}
          />
          {t('report.named')}
        </label>
        {!draft.anonymous && (
          <div className="contact">
            <label>
              {t('report.name')}
              <input
                value={draft.name}
                maxLength={64}
                onChange={(e) => set({ name: e.target.value })}
                autoComplete="name"
              />
            </label>
            <label>
              {t('report.phone')}
              <input
                value={draft.phone}
                maxLength={32}
                inputMode="tel"
                onChange={(e) => set({ phone: e.target.value })}
                autoComplete="tel"
              />
            </label>
            <label>
              {t('report.email')}
              <input
                type="email"
                value={draft.email}
                maxLength={254}
                onChange={(e) => set({ email: e.target.value })}
                autoComplete="email"
              />
            </label>
          </div>
        )}
      </section>

      {shownError && (
        <p className="banner error" role="alert">
          {typeof shownError === 'string' ? t(shownError) : pick(shownError)}
        </p>
      )}
      <button type="submit" className="primary big" disabled={phase.step !== 'edit'} data-testid="submit">
        {phase.step === 'checking'
          ? t('dup.checking')
          : phase.step === 'sending'
            ? t('net.sending')
            : t('report.submit')}
      </button>
    </form>
  );
}
