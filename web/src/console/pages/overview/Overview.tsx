import { useI18n } from '../../i18n/index.tsx';

/** The overview page (loaded as its own chunk by App.tsx). */
export default function Overview(props: OverviewProps) {
  const { t } = useI18n();
  void props;
  return <h1>{t('overview.title')}</h1>;
}

export interface OverviewProps {
  params: URLSearchParams;
}
