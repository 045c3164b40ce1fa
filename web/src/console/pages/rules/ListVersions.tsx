import { useI18n } from '../../i18n/index.tsx';
import type { ListHeader } from './rules-api.ts';

/** The list shown (title, draft or version N) and the choice of its other versions. */
export function ListVersions(props: {
  list: ListHeader | null;
  headers: readonly ListHeader[];
  readOnly: boolean;
  onPick(id: string): void;
}) {
  const { t } = useI18n();
  const { list, headers } = props;
  const label = (h: ListHeader) =>
    h.status === 'draft'
      ? t('rules.resp.draft')
      : t(h.status === 'published' ? 'rules.resp.version' : 'rules.resp.superseded', {
          version: h.version ?? '',
        });
  return (
    <>
      <p data-testid="list-state">
        {list ? (
          <>
            <span translate="no">{list.title}</span> <span className="badge">{label(list)}</span>
          </>
        ) : (
          t('rules.resp.no_list')
        )}
        {props.readOnly && <span className="badge">{t('rules.read_only')}</span>}
      </p>
      {headers.length > 1 && (
        <label>
          {t('rules.resp.versions')}
          <select value={list?.id ?? ''} onChange={(e) => props.onPick(e.target.value)}>
            {headers.map((h) => (
              <option key={h.id} value={h.id}>
                {label(h)}
              </option>
            ))}
          </select>
        </label>
      )}
    </>
  );
}
