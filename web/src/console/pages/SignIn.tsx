import { useState, type FormEvent } from 'react';
import { api, labelOf, type Label } from '../api.ts';
import { OFFLINE, useI18n } from '../i18n/index.tsx';

/** Sign-in: the server's own message (wrong password, locked for N minutes) shown as it says it. */
export function SignIn({ onSignedIn }: { onSignedIn(): void }) {
  const { t, pick } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Label | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.signIn({ username, password });
      onSignedIn();
    } catch (e) {
      setError(labelOf(e, OFFLINE));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="centre-page">
      <form className="card signin" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">{t('signin.title')}</h1>
        <label>
          {t('signin.username')}
          <input
            name="username"
            autoComplete="username"
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label>
          {t('signin.password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p className="error" role="alert" data-testid="signin-error">
            {pick(error)}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('signin.busy') : t('signin.submit')}
        </button>
        <p className="muted small">{t('signin.demo')}</p>
      </form>
    </main>
  );
}
