import { useI18n } from '../../i18n/index.tsx';

/** The grid page (loaded as its own chunk by App.tsx). */
export default function Grid(props: GridProps) {
  const { t } = useI18n();
  void props;
  return <h1>{t('grid.title')}</h1>;
}

export interface GridProps {
  view: string;
  params: URLSearchParams;
}
