import { useEffect, useState } from 'react';
import { REGION_LEVEL_LABELS } from '../../../../../src/i18n/responsibility-labels.ts';
import { labelOf } from '../../../http.ts';
import { OFFLINE, useI18n } from '../../i18n/index.tsx';
import { useSession } from '../../session.tsx';
import { rulesApi, type RegionInfo, type RegionItem } from './rules-api.ts';
import { navigate } from '../../../router.ts';

/**
 * The region an editor works on, from `?region=` (the user's own scope by default), with whether
 * it lies in the user's scope: the server's allowed_actions hold only there, so outside it (a
 * higher region's list, inherited) the editor is read-only.
 */
export function useRuleRegion(params: URLSearchParams) {
  const { me } = useSession();
  const code = params.get('region') || me.user.scope.code;
  const [region, setRegion] = useState<RegionInfo | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    rulesApi
      .region(code)
      .then((r) => live && setRegion(r))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [code]);
  const scope = me.user.scope.code;
  const inScope = region !== null && (region.code === scope || region.path.some((p) => p.code === scope));
  return { region: region?.code === code || region?.code.startsWith(code) ? region : null, error, inScope };
}

/** May the signed-in user do `action` here? What /me allows, in the user's own subtree only. */
export function useAllowed(action: string, inScope: boolean): boolean {
  const { me } = useSession();
  return inScope && (me.allowed_actions as readonly string[]).includes(action);
}

/** The region's path (links up) and a choice of its children (to go down), kept in the query string. */
export function RegionPicker({ region, stopAt = 'community' }: { region: RegionInfo; stopAt?: string }) {
  const { t, pick } = useI18n();
  const [children, setChildren] = useState<RegionItem[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    setChildren([]);
    if (region.level === stopAt) return;
    rulesApi
      .children(region.code)
      .then((r) => live && setChildren(r.children))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [region.code, region.level, stopAt]);
  const go = (code: string) => {
    const search = new URLSearchParams(location.search);
    search.set('region', code);
    navigate(`${location.pathname}?${search.toString()}`);
  };
  return (
    <div className="region-picker" data-testid="region-picker">
      <nav aria-label={t('rules.region.path')}>
        <ol>
          {region.path.map((p) => (
            <li key={p.code}>
              <button type="button" className="link" onClick={() => go(p.code)} translate="no">
                {p.name}
              </button>
            </li>
          ))}
          <li aria-current="location">
            <strong translate="no">{region.name}</strong>{' '}
            <span className="muted small">{pick(REGION_LEVEL_LABELS[region.level])}</span>
          </li>
        </ol>
      </nav>
      {children.length > 0 && (
        <label>
          {t('rules.region.down')}
          <select value="" onChange={(e) => e.target.value && go(e.target.value)}>
            <option value="">{t('rules.region.choose')}</option>
            {children.map((c) => (
              <option key={c.code} value={c.code} translate="no">
                {c.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {error !== null && <p className="error">{pick(labelOf(error, OFFLINE))}</p>}
    </div>
  );
}
