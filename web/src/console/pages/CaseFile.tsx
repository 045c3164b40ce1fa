import { useCallback, useEffect, useState } from 'react';
import { attachmentIdOf, attachmentUrl, thumbnailUrl } from '../../../../src/core/attachments/refs.ts';
import type { ActionName } from '../../../../src/core/workflow/transitions.ts';
import { actionLabel, roleLabel, stageLabel } from '../../../../src/i18n/case-labels.ts';
import { follow } from '../../router.ts';
import { api, labelOf, type CaseDetail, type Label } from '../api.ts';
import { ActionForm } from '../components/ActionForm.tsx';
import { CaseRelations } from '../components/CaseRelations.tsx';
import { Responsibility } from '../components/Responsibility.tsx';
import { useDuration } from '../components/Light.tsx';
import { OFFLINE, useI18n, type ConsoleKey } from '../i18n/index.tsx';
import { useNames } from '../names.ts';
import { casePath, printPath } from '../routes.ts';
import { useSession } from '../session.tsx';

/** Photos of the report and evidence of every step, in the order they came. */
function photosOf(detail: CaseDetail): Array<{ id: string; action: string; at: string }> {
  const out: Array<{ id: string; action: string; at: string }> = [];
  for (const e of detail.timeline) {
    for (const field of ['photos', 'evidence'] as const) {
      const refs = e.payload[field];
      if (!Array.isArray(refs)) continue;
      for (const ref of refs) {
        const id = typeof ref === 'string' ? attachmentIdOf(ref) : null;
        if (id && !out.some((p) => p.id === id)) out.push({ id, action: e.action, at: e.at });
      }
    }
  }
  return out;
}

const textOf = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/**
 * The case file (案卷): facts, photos, the responsibility decision, deadlines and clock, the
 * departments' tasks, the timeline, the verdict, and a button for each action the server lists
 * in `allowed_actions` — nothing else. `print` shows it without buttons, for paper.
 */
export function CaseFile({ id, print = false }: { id: string; print?: boolean }) {
  const { t, pick, time } = useI18n();
  const { me } = useSession();
  const names = useNames(me.user.scope);
  const duration = useDuration();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<Label | null>(null);
  const [acting, setActing] = useState<ActionName | null>(null);
  const [done, setDone] = useState<ActionName | null>(null);

  const load = useCallback(() => {
    api
      .case(id)
      .then((d) => {
        setDetail(d);
        setError(null);
      })
      .catch((e: unknown) => setError(labelOf(e, OFFLINE)));
  }, [id]);
  useEffect(load, [load]);

  if (error) {
    return (
      <p className="error" role="alert">
        {pick(error)}
      </p>
    );
  }
  if (!detail) return <p role="status">{t('loading')}</p>;

  const photos = photosOf(detail);
  const d = detail.deadlines;
  const category = names.category(detail.category);
  return (
    <article
      className={print ? 'case-file print' : 'case-file'}
      data-testid="case"
      data-status={detail.status}
      data-version={detail.version}
    >
      <header className="case-head">
        <h1>
          <span className="reference" data-testid="reference">
            {detail.reference}
          </span>{' '}
          <span translate="no">{detail.title}</span>
        </h1>
        <p>
          <span className="badge stage" data-testid="status" data-status={detail.status}>
            {pick(stageLabel(detail.status))}
          </span>
          {detail.escalation_level > 0 && (
            <span className="badge warn">{t('case.escalated', { level: detail.escalation_level })}</span>
          )}
          {detail.counts.returns > 0 && (
            <span className="badge warn">{t('case.returned', { n: detail.counts.returns })}</span>
          )}
          {detail.counts.rework > 0 && (
            <span className="badge warn">{t('case.reworked', { n: detail.counts.rework })}</span>
          )}
        </p>
        {!print && (
          <p className="links">
            <a href={printPath(detail.id)} onClick={follow}>
              {t('case.print')}
            </a>
          </p>
        )}
        {print && (
          <p className="links no-print">
            <button type="button" onClick={() => window.print()}>
              {t('case.print.now')}
            </button>{' '}
            <a href={casePath(detail.id)} onClick={follow}>
              {t('case.back')}
            </a>
          </p>
        )}
      </header>

      {!print && (
        <section className="actions card" aria-labelledby="actions-title">
          <h2 id="actions-title">{t('case.actions')}</h2>
          {done && (
            <p className="ok" role="status" data-testid="done">
              {t('act.done', { action: pick(actionLabel(done)) })}
            </p>
          )}
          {detail.allowed_actions.length === 0 && (
            <p className="muted" data-testid="no-actions">
              {t('case.no_actions')}
            </p>
          )}
          <div className="buttons" data-testid="allowed-actions">
            {detail.allowed_actions.map((a) => (
              <button
                key={a}
                type="button"
                data-action={a}
                aria-pressed={acting === a}
                onClick={() => {
                  setActing(a);
                  setDone(null);
                }}
              >
                {pick(actionLabel(a))}
              </button>
            ))}
          </div>
          {acting && (
            <ActionForm
              key={`${acting}-${detail.version}`}
              detail={detail}
              action={acting}
              names={names}
              onCancel={() => setActing(null)}
              onReload={() => {
                setActing(null);
                load();
              }}
              onDone={(next) => {
                setDetail(next);
                setDone(acting);
                setActing(null);
              }}
            />
          )}
        </section>
      )}

      <section className="facts card" aria-labelledby="facts-title">
        <h2 id="facts-title">{t('case.facts')}</h2>
        <dl>
          <dt>{t('case.category')}</dt>
          <dd>{category ? `${pick(category)} (${detail.category})` : t('case.none')}</dd>
          <dt>{t('case.description')}</dt>
          <dd translate="no">{detail.description || t('case.none')}</dd>
          <dt>{t('case.address')}</dt>
          <dd translate="no">{detail.address ?? t('case.none')}</dd>
          <dt>{t('case.region')}</dt>
          <dd>
            {detail.region}
            {detail.grid && ` · ${t('case.grid')} ${detail.grid}`}
          </dd>
          <dt>{t('case.channel')}</dt>
          <dd>{t(`channel.${detail.channel}` as ConsoleKey)}</dd>
          <dt>{t('case.reported_at')}</dt>
          <dd>{time(detail.reported_at)}</dd>
          <dt>{t('case.reporter')}</dt>
          <dd data-testid="reporter" translate="no">
            {detail.reporter.anonymous
              ? t('case.anonymous')
              : [detail.reporter.name, detail.reporter.phone].filter(Boolean).join(' · ') || t('case.none')}
          </dd>
          {detail.merged_into && (
            <>
              <dt>{t('case.merged_into')}</dt>
              <dd>
                <a href={casePath(detail.merged_into)} onClick={follow}>
                  {detail.merged_into}
                </a>
              </dd>
            </>
          )}
        </dl>
      </section>

      <CaseRelations detail={detail} />

      {photos.length > 0 && (
        <section className="card" aria-labelledby="photos-title">
          <h2 id="photos-title">{t('case.photos')}</h2>
          <ul className="gallery" data-testid="photos">
            {photos.map((p) => (
              <li key={p.id}>
                <a href={attachmentUrl(p.id)} target="_blank" rel="noreferrer">
                  <img
                    src={thumbnailUrl(p.id)}
                    alt={`${pick(actionLabel(p.action))} · ${time(p.at)}`}
                    loading="lazy"
                  />
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="card" aria-labelledby="clock-title">
        <h2 id="clock-title">{t('case.clock')}</h2>
        <dl>
          <dt>{t('case.stage_started')}</dt>
          <dd>{time(d.stage_started_at)}</dd>
          <dt>{t('case.stage_deadline')}</dt>
          <dd data-testid="stage-deadline">{d.stage_deadline ? time(d.stage_deadline) : t('case.none')}</dd>
          <dt>{t('case.handling_deadline')}</dt>
          <dd>{d.handling_deadline ? time(d.handling_deadline) : t('case.none')}</dd>
          <dt>{t('case.paused')}</dt>
          <dd>{d.paused_ms > 0 ? duration(d.paused_ms) : t('case.none')}</dd>
          {detail.pending_extension && (
            <>
              <dt>{t('case.pending_extension')}</dt>
              <dd>
                {t('case.extension_days', { days: detail.pending_extension.days })} ·{' '}
                {detail.pending_extension.reason}
              </dd>
            </>
          )}
        </dl>
      </section>

      <Responsibility detail={detail} names={names} />

      {detail.rating && (
        <section className="card" aria-labelledby="verdict-title" data-testid="verdict">
          <h2 id="verdict-title">{t('case.verdict')}</h2>
          <p>
            {t('case.verdict.stars', { score: detail.rating.score })} ·{' '}
            {detail.rating.fixed ? t('case.verdict.fixed') : t('case.verdict.unfixed')}
            {detail.rating.at && ` · ${time(detail.rating.at)}`}
          </p>
        </section>
      )}

      <section className="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('case.timeline')}</h2>
        <ol className="timeline" data-testid="timeline">
          {detail.timeline.map((e) => (
            <li key={e.version} data-action={e.action}>
              <div className="when">{time(e.at)}</div>
              <div className="what">
                <strong>{pick(actionLabel(e.action))}</strong>
                {e.from !== e.to && <span className="badge">{pick(stageLabel(e.to))}</span>}
              </div>
              <div className="who small">
                {e.actor} · {pick(roleLabel(e.role))}
              </div>
              {e.reason && (
                <div className="small reason" translate="no">
                  {e.reason}
                </div>
              )}
              {textOf(e.payload.note) && (
                <div className="small" translate="no">
                  {textOf(e.payload.note)}
                </div>
              )}
              {textOf(e.payload.department_id) && (
                <div className="small">
                  {t('case.sent_to', { department: names.department(textOf(e.payload.department_id)) })}
                </div>
              )}
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}
