import { useState } from 'react';
import { api, ApiError, type Label } from '../api.ts';
import { useI18n } from '../i18n/index.tsx';
import type { MessageKey } from '../i18n/zh.ts';

/** Following by e-mail: the server mails a confirmation link before anything else is sent. */
export function FollowForm({ caseId }: { caseId: string }) {
  const { t, pick } = useI18n();
  const [email, setEmail] = useState('');
  const [outcome, setOutcome] = useState<{ ok: boolean; text: MessageKey | Label } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    try {
      await api.follow(caseId, email.trim());
      setOutcome({ ok: true, text: 'follow.sent' });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'route.not_found') {
        setOutcome({ ok: false, text: 'follow.unavailable' });
      } else {
        setOutcome({ ok: false, text: error instanceof ApiError ? error.label : 'error.network' });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      id="follow"
      className="card"
      data-testid="follow"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2>{t('follow.title')}</h2>
      <p className="muted small">{t('follow.hint')}</p>
      <label>
        {t('follow.email')}
        <input
          type="email"
          required
          value={email}
          maxLength={254}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      {outcome && (
        <p className={`banner ${outcome.ok ? 'info' : 'error'}`} role="status">
          {typeof outcome.text === 'string' ? t(outcome.text) : pick(outcome.text)}
        </p>
      )}
      <button type="submit" className="secondary" disabled={busy || outcome?.ok === true}>
        {t('follow.submit')}
      </button>
    </form>
  );
}
