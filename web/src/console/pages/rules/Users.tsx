import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ROLES } from '../../../../../src/core/access/roles.ts';
import { roleLabel } from '../../../../../src/i18n/case-labels.ts';
import { REGION_LEVEL_LABELS } from '../../../../../src/i18n/responsibility-labels.ts';
import { labelOf } from '../../../http.ts';
import { OFFLINE, useI18n } from '../../i18n/index.tsx';
import { useSession } from '../../session.tsx';
import { useAllowed } from './RegionPicker.tsx';
import { rulesApi, type UserItem } from './rules-api.ts';

/**
 * 用户、角色与范围: the accounts whose scope lies in the administrator's subtree (user.manage), and
 * a new account. The API has no change or disable of an account yet, so the rows are read-only;
 * without user.manage the server lists nothing, and the page says so instead of asking.
 */
export default function Users(_: { params: URLSearchParams }) {
  const { t, pick, time } = useI18n();
  const { me } = useSession();
  const canManage = useAllowed('user.manage', true);
  const [items, setItems] = useState<UserItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  const load = useCallback(() => {
    if (!canManage) return;
    rulesApi
      .users()
      .then((r) => setItems(r.items))
      .catch(setError);
  }, [canManage]);
  useEffect(load, [load]);

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const target = event.currentTarget;
    const form = new FormData(target);
    setError(null);
    setDone(null);
    try {
      const department = String(form.get('department_id') ?? '').trim();
      const user = await rulesApi.createUser({
        username: String(form.get('username')).trim(),
        display_name: String(form.get('display_name')).trim(),
        password: String(form.get('password')),
        roles: form.getAll('roles').map(String) as UserItem['roles'],
        scope: String(form.get('scope')).trim(),
        department_id: department || null,
      });
      setDone(t('rules.users.created', { username: user.username }));
      target.reset();
      load();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section aria-labelledby="users-title" data-testid="users">
      <h1 id="users-title">{t('rules.section.users')}</h1>
      {!canManage && <p className="muted">{t('rules.users.not_allowed')}</p>}
      {done && (
        <p role="status" className="ok">
          {done}
        </p>
      )}
      {error !== null && (
        <p role="alert" className="error">
          {pick(labelOf(error, OFFLINE))}
        </p>
      )}
      {canManage && (
        <form className="card" onSubmit={(e) => void create(e)} aria-labelledby="users-new">
          <h2 id="users-new">{t('rules.users.new')}</h2>
          <div className="form-row">
            <label>
              {t('rules.users.username')}
              <input name="username" required minLength={2} maxLength={64} autoComplete="off" />
            </label>
            <label>
              {t('rules.users.display_name')}
              <input name="display_name" required maxLength={100} />
            </label>
            <label>
              {t('rules.users.password')}
              <input name="password" type="password" required minLength={8} autoComplete="new-password" />
            </label>
            <label>
              {t('rules.users.scope')}
              <input
                name="scope"
                required
                defaultValue={me.user.scope.code}
                pattern="\d{2}|\d{4}|\d{6}|\d{9}|\d{12}"
              />
            </label>
            <label>
              {t('rules.users.department')}
              <input name="department_id" />
            </label>
          </div>
          <fieldset className="checks">
            <legend>{t('rules.users.roles')}</legend>
            {ROLES.map((role) => (
              <label key={role} className="check">
                <input type="checkbox" name="roles" value={role} />
                {pick(roleLabel(role))}
              </label>
            ))}
          </fieldset>
          <p>
            <button type="submit" className="primary">
              {t('rules.users.create')}
            </button>
          </p>
        </form>
      )}
      {items && (
        <div className="table-wrap">
          <table>
            <caption>{t('rules.users.count', { count: items.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('rules.users.username')}</th>
                <th scope="col">{t('rules.users.display_name')}</th>
                <th scope="col">{t('rules.users.roles')}</th>
                <th scope="col">{t('rules.users.scope')}</th>
                <th scope="col">{t('rules.users.department')}</th>
                <th scope="col">{t('rules.users.state')}</th>
                <th scope="col">{t('rules.users.created_at')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((u) => (
                <tr key={u.id}>
                  <td translate="no">{u.username}</td>
                  <td translate="no">{u.display_name}</td>
                  <td>{u.roles.map((r) => pick(roleLabel(r))).join(t('rules.list_sep'))}</td>
                  <td>
                    <span translate="no">{u.scope.name ?? u.scope.code}</span>{' '}
                    <span className="muted small">{pick(REGION_LEVEL_LABELS[u.scope.level])}</span>
                  </td>
                  <td translate="no">{u.department_id ?? '—'}</td>
                  <td>
                    {u.disabled
                      ? t('rules.users.disabled')
                      : u.locked_until
                        ? t('rules.users.locked', { until: time(u.locked_until) })
                        : t('rules.users.active')}
                  </td>
                  <td>{time(u.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
