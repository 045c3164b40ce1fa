import { useI18n } from '../../i18n/index.tsx';

/** The rules page (loaded as its own chunk by App.tsx). */
export default function Rules(props: RulesProps) {
  const { t } = useI18n();
  void props;
  return <h1>{t('rules.title')}</h1>;
}

export interface RulesProps {
  section: string;
  params: URLSearchParams;
}
