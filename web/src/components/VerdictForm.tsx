import { useState } from 'react';
import { api, ApiError, type Label, type PublicCase } from '../api.ts';
import { useI18n } from '../i18n/index.tsx';
import type { MessageKey } from '../i18n/zh.ts';

/** "Fixed / not fixed" and a rating, sent with the reporter key this browser kept at submission. */
export function VerdictForm({
  reference,
  reporterKey,
  onDone,
}: {
  reference: string;
  reporterKey: string;
  onDone(view: PublicCase, reopened: boolean): void;
}) {
  const { t, pick } = useI18n();
  const [fixed, setFixed] = useState<boolean | null>(null);
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<MessageKey | Label | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (fixed === null || rating === 0) return setProblem('verdict.need');
    setBusy(true);
    setProblem(null);
    try {
      const res = await api.verdict(reference, {
        reporter_key: reporterKey,
        fixed,
        rating,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      onDone(res.case, res.reopened);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.label : 'error.network');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card verdict"
      data-testid="verdict"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2>{t('verdict.title')}</h2>
      <div className="segmented">
        <button type="button" aria-pressed={fixed === true} onClick={() => setFixed(true)}>
          {t('verdict.fixed')}
        </button>
        <button type="button" aria-pressed={fixed === false} onClick={() => setFixed(false)}>
          {t('verdict.unfixed')}
        </button>
      </div>
      <div className="stars" role="radiogroup" aria-label={t('verdict.rating')}>
        {[1, 2, 3, 4, 5].map((n) => (
          <button
            key={n}
            type="button"
            role="radio"
            aria-checked={rating === n}
            aria-label={t('verdict.star', { n })}
            className={n <= rating ? 'on' : ''}
            onClick={() => setRating(n)}
          >
            ★
          </button>
        ))}
      </div>
      <label>
        {t('verdict.comment')}
        <textarea value={comment} maxLength={2000} rows={2} onChange={(e) => setComment(e.target.value)} />
      </label>
      {problem && (
        <p className="banner error" role="alert">
          {typeof problem === 'string' ? t(problem) : pick(problem)}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {t('verdict.submit')}
      </button>
    </form>
  );
}
