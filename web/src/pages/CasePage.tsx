import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, NetworkError, type PublicCase } from '../api.ts';
import { FollowForm } from '../components/FollowForm.tsx';
import { Timeline } from '../components/Timeline.tsx';
import { VerdictForm } from '../components/VerdictForm.tsx';
import { useI18n } from '../i18n/index.tsx';
import type { MessageKey } from '../i18n/zh.ts';
import { casePath, follow } from '../router.ts';
import { keyFor } from '../storage.ts';

const ATTACHMENT = /^\/api\/v1\/attachments\/[0-9a-f-]{36}$/;

/** A photo link, with the reporter key where this browser holds it (photos are private until registration). */
function photoSources(url: string, key: string | undefined) {
  const q = key ? `?key=${encodeURIComponent(key)}` : '';
  return ATTACHMENT.test(url) ? { full: url + q, thumb: `${url}/thumbnail${q}` } : { full: url, thumb: url };
}

function Photo({ url, viewKey }: { url: string; viewKey: string | undefined }) {
  const [hidden, setHidden] = useState(false);
  if (hidden) return null;
  const { full, thumb } = photoSources(url, viewKey);
  return (
    <li>
      <a href={full} target="_blank" rel="noreferrer">
        <img src={thumb} alt="" loading="lazy" onError={() => setHidden(true)} />
      </a>
    </li>
  );
}

export function CasePage({ reference }: { reference: string }) {
  const { t, pick, lang, time } = useI18n();
  const [view, setView] = useState<PublicCase | null>(null);
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const [notice, setNotice] = useState<MessageKey | null>(null);
  const held = keyFor(reference);

  const load = useCallback(async () => {
    try {
      setView(await api.publicCase(reference));
      setProblem(null);
    } catch (error) {
      setProblem(error instanceof ApiError && error.status === 404 ? 'case.notfound' : 'error.network');
      if (!(error instanceof NetworkError) && !(error instanceof ApiError)) throw error;
    }
  }, [reference]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (view && location.hash === '#follow') document.getElementById('follow')?.scrollIntoView();
  }, [view]);

  if (problem === 'case.notfound') return <p className="card">{t('case.notfound', { reference })}</p>;
  if (!view) return <p className="card muted">{problem ? t(problem) : t('case.loading')}</p>;

  const canGiveVerdict = held?.key && view.status === 'closed' && !view.rating;
  const dl = view.deadlines;
  return (
    <>
      <section className="card case" data-testid="case">
        <div className="case-head">
          <span className="reference">{view.reference}</span>
          <button
            type="button"
            className="link"
            onClick={() => void load().then(() => setNotice('case.updated'))}
          >
            {t('case.refresh')}
          </button>
        </div>
        <p>
          {t('case.status')}:{' '}
          <span className={`status status-${view.status}`} data-testid="status" data-status={view.status}>
            {pick(view.status_label)}
          </span>
          {notice === 'case.updated' && <span className="muted small"> · {t(notice)}</span>}
        </p>
        {view.status === 'voided' && <p>{t('case.voided')}</p>}
        {view.merged_into && (
          <p>
            {t('case.merged')}{' '}
            <a href={casePath(view.merged_into)} onClick={follow}>
              {view.merged_into}
            </a>
          </p>
        )}
        {view.title && <h1>{view.title}</h1>}
        {view.description && view.description !== view.title && (
          <p className="description">{view.description}</p>
        )}
        <dl>
          {view.category && (
            <>
              <dt>{t('case.category')}</dt>
              <dd>{lang === 'en' ? view.category.name_en : view.category.name}</dd>
            </>
          )}
          {(view.region || view.grid) && (
            <>
              <dt>{t('case.place')}</dt>
              <dd>{[view.region?.name, view.grid?.name].filter(Boolean).join(' · ')}</dd>
            </>
          )}
          {view.reported_at && (
            <>
              <dt>{t('case.reported')}</dt>
              <dd>{time(view.reported_at)}</dd>
            </>
          )}
          {dl?.stage_deadline && !view.closed_at && (
            <>
              <dt>{t('case.deadline')}</dt>
              <dd>{time(dl.stage_deadline)}</dd>
            </>
          )}
          {dl?.handling_deadline && dl.handling_deadline !== dl.stage_deadline && !view.closed_at && (
            <>
              <dt>{t('case.handling_deadline')}</dt>
              <dd>{time(dl.handling_deadline)}</dd>
            </>
          )}
          {view.closed_at && (
            <>
              <dt>{t('case.closed')}</dt>
              <dd>{time(view.closed_at)}</dd>
            </>
          )}
        </dl>
        {view.rating && (
          <p>
            {t('case.rating', {
              score: view.rating.score,
              fixed: t(view.rating.fixed ? 'case.rating.fixed' : 'case.rating.unfixed'),
            })}
          </p>
        )}
        {view.photos && view.photos.length > 0 && (
          <>
            <h2>{t('case.photos')}</h2>
            <ul className="gallery" data-testid="photos">
              {view.photos.map((url) => (
                <Photo key={url} url={url} viewKey={held?.uploads?.[url] ?? (held?.key || undefined)} />
              ))}
            </ul>
          </>
        )}
      </section>
      {notice === 'verdict.thanks' || notice === 'verdict.reopened' ? (
        <p className="banner info" role="status">
          {t(notice)}
        </p>
      ) : null}
      {canGiveVerdict && (
        <VerdictForm
          reference={view.reference}
          reporterKey={held!.key}
          onDone={(next, reopened) => {
            setView(next);
            setNotice(reopened ? 'verdict.reopened' : 'verdict.thanks');
          }}
        />
      )}
      {view.timeline && view.timeline.length > 0 && (
        <section className="card">
          <h2>{t('case.timeline')}</h2>
          <Timeline events={view.timeline} />
        </section>
      )}
      {view.status !== 'voided' && <FollowForm caseId={view.id} />}
    </>
  );
}
