import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { API_KEY_RIGHTS } from '../../../../../src/core/open311/api-key-rights.ts';
import { labelOf } from '../../../http.ts';
import { OFFLINE, useI18n, type ConsoleKey } from '../../i18n/index.tsx';
import { useAllowed } from './RegionPicker.tsx';
import { rulesApi, type KeyItem } from './rules-api.ts';

const RIGHT_KEYS: Record<(typeof API_KEY_RIGHTS)[number], ConsoleKey> = {
  requests: 'rules.keys.right.requests',
  updates: 'rules.keys.right.updates',
};

/**
 * Open311 API keys of the administrator's subtree (docs/open311.md): issue one (the key is shown
 * this once: only its hash is kept), change its rate limit, revoke it for good.
 */
export default function ApiKeys(_: { params: URLSearchParams }) {
  const { t, pick, time } = useI18n();
  const canManage = useAllowed('user.manage', true);
  const [items, setItems] = useState<KeyItem[] | null>(null);
  const [issued, setIssued] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  const load = useCallback(() => {
    if (!canManage) return;
    rulesApi
      .keys()
      .then((r) => setItems(r.items))
      .catch(setError);
  }, [canManage]);
  useEffect(load, [load]);

  const act = async (step: () => Promise<string>) => {
    setError(null);
    setDone(null);
    try {
      setDone(await step());
      load();
    } catch (e) {
      setError(e);
    }
  };
  const issue = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const target = event.currentTarget;
    const form = new FormData(target);
    const region = String(form.get('region') ?? '').trim();
    const username = String(form.get('username') ?? '').trim();
    void act(async () => {
      const key = await rulesApi.issueKey({
        label: String(form.get('label')).trim(),
        rights: form.getAll('rights').map(String) as KeyItem['rights'],
        rate_per_minute: Number(form.get('rate')),
        ...(region ? { region } : {}),
        ...(username ? { username } : {}),
        answer_with_token: form.get('token') === 'on',
      });
      setIssued(key.key);
      target.reset();
      return t('rules.keys.issued', { label: key.label });
    });
  };

  return (
    <section aria-labelledby="keys-title" data-testid="keys">
      <h1 id="keys-title">{t('rules.section.keys')}</h1>
      {!canManage && <p className="muted">{t('rules.users.not_allowed')}</p>}
      {done && (
        <p role="status" className="ok">
          {done}
        </p>
      )}
      {issued && (
        <div className="card" role="alert">
          <p>{t('rules.keys.shown_once')}</p>
          <p className="secret" translate="no" data-testid="issued-key">
            {issued}
          </p>
          <button type="button" onClick={() => setIssued(null)}>
            {t('rules.keys.hide')}
          </button>
        </div>
      )}
      {error !== null && (
        <p role="alert" className="error">
          {pick(labelOf(error, OFFLINE))}
        </p>
      )}
      {canManage && (
        <form className="card" onSubmit={issue} aria-labelledby="keys-new">
          <h2 id="keys-new">{t('rules.keys.new')}</h2>
          <div className="form-row">
            <label>
              {t('rules.keys.label')}
              <input name="label" required maxLength={100} />
            </label>
            <label>
              {t('rules.keys.rate')}
              <input name="rate" type="number" required min="1" max="100000" defaultValue="60" />
            </label>
            <label>
              {t('rules.keys.region')}
              <input name="region" placeholder={t('rules.keys.region_default')} />
            </label>
            <label>
              {t('rules.keys.username')}
              <input name="username" />
            </label>
            <label className="check">
              <input type="checkbox" name="token" />
              {t('rules.keys.token')}
            </label>
          </div>
          <fieldset className="checks">
            <legend>{t('rules.keys.rights')}</legend>
            {API_KEY_RIGHTS.map((right) => (
              <label key={right} className="check">
                <input type="checkbox" name="rights" value={right} defaultChecked={right === 'requests'} />
                {t(RIGHT_KEYS[right])}
              </label>
            ))}
          </fieldset>
          <p>
            <button type="submit" className="primary">
              {t('rules.keys.issue')}
            </button>
          </p>
        </form>
      )}
      {items && (
        <div className="table-wrap">
          <table>
            <caption>{t('rules.keys.count', { count: items.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('rules.keys.label')}</th>
                <th scope="col">{t('rules.keys.rights')}</th>
                <th scope="col">{t('rules.keys.rate')}</th>
                <th scope="col">{t('rules.keys.region')}</th>
                <th scope="col">{t('rules.keys.username')}</th>
                <th scope="col">{t('rules.keys.last_used')}</th>
                <th scope="col">{t('rules.resp.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((k) => (
                <tr key={k.id}>
                  <td translate="no">{k.label}</td>
                  <td>{k.rights.map((r) => t(RIGHT_KEYS[r])).join(t('rules.list_sep'))}</td>
                  <td>
                    {k.revoked_at ? (
                      k.rate_per_minute
                    ) : (
                      <input
                        type="number"
                        min="1"
                        max="100000"
                        size={6}
                        defaultValue={k.rate_per_minute}
                        aria-label={t('rules.keys.rate_of', { label: k.label })}
                        onBlur={(e) => {
                          const rate = Number(e.target.value);
                          if (rate !== k.rate_per_minute)
                            void act(async () => {
                              await rulesApi.changeKey(k.id, { rate_per_minute: rate });
                              return t('rules.keys.changed', { label: k.label });
                            });
                        }}
                      />
                    )}
                  </td>
                  <td translate="no">{k.region}</td>
                  <td translate="no">{k.username ?? '—'}</td>
                  <td>{k.last_used_at ? time(k.last_used_at) : '—'}</td>
                  <td>
                    {k.revoked_at ? (
                      t('rules.keys.revoked', { at: time(k.revoked_at) })
                    ) : confirm === k.id ? (
                      <button
                        type="button"
                        className="primary"
                        onClick={() =>
                          void act(async () => {
                            setConfirm(null);
                            await rulesApi.revokeKey(k.id);
                            return t('rules.keys.revoked_done', { label: k.label });
                          })
                        }
                      >
                        {t('rules.keys.revoke_confirm')}
                      </button>
                    ) : (
                      <button type="button" onClick={() => setConfirm(k.id)}>
                        {t('rules.keys.revoke')}
                        <span className="sr-only" translate="no">
                          {' '}
                          {k.label}
                        </span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
