import { lazy, Suspense, type ComponentType } from 'react';
import { useI18n, type ConsoleKey } from '../../i18n/index.tsx';
import { rulesPath } from '../../routes.ts';
import { useSession } from '../../session.tsx';
import { follow } from '../../../router.ts';
import { ResponsibilityEditor } from './ResponsibilityEditor.tsx';
import './rules.css';

type SectionProps = { params: URLSearchParams };

/** The editors, by the path below /console/rules; each holds what its section's API allows. */
interface Section {
  title: ConsoleKey;
  hint: ConsoleKey;
  /** What /me must allow for the section's editing controls (in the user's own scope). */
  action: string;
  page: ComponentType<SectionProps>;
}

const SECTIONS: Record<string, Section> = {
  responsibility: {
    title: 'rules.section.responsibility',
    hint: 'rules.hint.responsibility',
    action: 'responsibility.edit',
    page: ResponsibilityEditor,
  },
  taxonomy: {
    title: 'rules.section.taxonomy',
    hint: 'rules.hint.taxonomy',
    action: 'taxonomy.edit',
    page: lazy(() => import('./TaxonomyTree.tsx')),
  },
  departments: {
    title: 'rules.section.departments',
    hint: 'rules.hint.departments',
    action: 'department.edit',
    page: lazy(() => import('./Departments.tsx')),
  },
  calendar: {
    title: 'rules.section.calendar',
    hint: 'rules.hint.calendar',
    action: 'calendar.edit',
    page: lazy(() => import('./CalendarRules.tsx')),
  },
  users: {
    title: 'rules.section.users',
    hint: 'rules.hint.users',
    action: 'user.manage',
    page: lazy(() => import('./Users.tsx')),
  },
  keys: {
    title: 'rules.section.keys',
    hint: 'rules.hint.keys',
    action: 'user.manage',
    page: lazy(() => import('./ApiKeys.tsx')),
  },
  grids: {
    title: 'rules.section.grids',
    hint: 'rules.hint.grids',
    action: 'grid.edit',
    page: lazy(() => import('./GridRules.tsx')),
  },
};

/** The rules pages (loaded as its own chunk by App.tsx): '' is the index of the sections. */
export default function Rules({ section, params }: RulesProps) {
  const { t } = useI18n();
  const allowed: readonly string[] = useSession().me.allowed_actions;
  const current = SECTIONS[section.split('/')[0] ?? ''];
  return (
    <div className="rules" data-testid="rules">
      <nav className="rules-nav" aria-label={t('rules.title')}>
        <a href={rulesPath()} onClick={follow} aria-current={current ? undefined : 'page'}>
          {t('rules.title')}
        </a>
        {Object.entries(SECTIONS).map(([key, s]) => (
          <a
            key={key}
            href={rulesPath(key)}
            onClick={follow}
            aria-current={current === s ? 'page' : undefined}
          >
            {t(s.title)}
          </a>
        ))}
      </nav>
      {current ? (
        <Suspense fallback={<p role="status">{t('loading')}</p>}>
          <current.page params={params} />
        </Suspense>
      ) : (
        <section aria-labelledby="rules-title">
          <h1 id="rules-title">{t('rules.title')}</h1>
          <ul className="rules-index">
            {Object.entries(SECTIONS).map(([key, s]) => (
              <li key={key} className="card">
                <a href={rulesPath(key)} onClick={follow}>
                  {t(s.title)}
                </a>
                {!allowed.includes(s.action) && <span className="badge">{t('rules.read_only')}</span>}
                <p className="muted">{t(s.hint)}</p>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

export interface RulesProps {
  section: string;
  params: URLSearchParams;
}
