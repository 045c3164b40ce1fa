import { useI18n } from '../../i18n/index.tsx';

export default function GridRules(_: { params: URLSearchParams }) {
  const { t } = useI18n();
  return <h1>{t('rules.section.grids')}</h1>;
}
