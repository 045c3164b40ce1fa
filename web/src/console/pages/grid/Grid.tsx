import { useCallback, useEffect, useMemo, useState, useSyncExternalStore, type FormEvent } from 'react';
import { thumbnailUrl, attachmentUrl } from '../../../../../src/core/attachments/refs.ts';
import { stageLabel } from '../../../../../src/i18n/case-labels.ts';
import { KeptPhotos, type PhotoBinding } from '../../../components/PhotoPicker.tsx';
import { LIMITS } from '../../../config.ts';
import { useOnline } from '../../../online.ts';
import { follow, navigate } from '../../../router.ts';
import { photoStore } from '../../../storage.ts';
import { api, labelOf, type CaseDetail, type CaseSummary, type Category, type Label } from '../../api.ts';
import { OFFLINE, useI18n, type ConsoleKey } from '../../i18n/index.tsx';
import { casePath, gridPath } from '../../routes.ts';
import { useSession } from '../../session.tsx';
import {
  evidencePhotos,
  flushOutbox,
  hasWaiting,
  isSending,
  isUnreachable,
  noteReach,
  onReachChange,
  onSendingChange,
  OPEN_IN_GRID,
} from './grid-api.ts';
import { useOfflineShell } from './offline-shell.ts';
import {
  isBlankReport,
  missingOf,
  outboxOf,
  patrolDraft,
  stateOf,
  type OutboxItem,
  type PatrolReport,
} from './patrol.ts';
import './grid.css';

export interface GridProps {
  view: string;
  params: URLSearchParams;
}

/** How often the outbox is tried again while something waits and the browser says it is online. */
const RETRY_MS = 10_000;
/** How often the task lists are fetched again while the page is shown. */
const REFRESH_MS = 30_000;

/**
 * The grid worker's phone pages (网格员移动端), 390 × 844 first: the tasks of the worker's grid (cases
 * waiting for the worker's verification, with the photos of the fix, and the grid's open cases) and
 * the report on the spot — resolved there (自处理) or reported for registration. A report goes to
 * an outbox kept on the phone and is sent when there is a network, once (patrol.ts, grid-api.ts).
 */
export default function Grid({ view }: GridProps) {
  const { t } = useI18n();
  const { me } = useSession();
  const user = me.user.username;
  const browserOnline = useOnline();
  const unreachable = useSyncExternalStore(onReachChange, isUnreachable);
  const online = browserOnline && !unreachable;
  const shell = useOfflineShell();
  const outbox = outboxOf(user).use();
  const sending = useSyncExternalStore(onSendingChange, isSending);
  const [round, setRound] = useState(0);

  // Sends what waits: now, when the network returns, and every few seconds while anything waits
  // (the browser's "online" is a hint, not a promise).
  useEffect(() => {
    const send = () => {
      if (!navigator.onLine || !hasWaiting(user)) return;
      void flushOutbox(user).then(() => setRound((n) => n + 1));
    };
    send();
    window.addEventListener('online', send);
    const timer = window.setInterval(send, RETRY_MS);
    return () => {
      window.removeEventListener('online', send);
      window.clearInterval(timer);
    };
  }, [user]);

  const waiting = outbox.filter((i) => stateOf(i, false) === 'waiting').length;
  const current = view === 'report' ? 'report' : 'tasks';

  return (
    <div
      className="grid-phone"
      data-testid="grid-page"
      data-offline-ready={shell === 'ready' ? 'true' : 'false'}
    >
      <h1>
        {t('grid.heading')}
        {me.user.scope.name && (
          <>
            {' · '}
            <span translate="no">{me.user.scope.name}</span>
          </>
        )}
      </h1>
      <p className={`grid-status ${online ? 'on' : 'off'}`} role="status" data-testid="net-status">
        {online ? t('grid.online') : t('grid.offline')}
        {shell !== 'unsupported' && (
          <span className="shell" data-testid="shell">
            {' · '}
            {t(`grid.shell.${shell}`)}
          </span>
        )}
      </p>
      <nav className="grid-views" aria-label={t('grid.views')}>
        <a href={gridPath()} onClick={follow} aria-current={current === 'tasks' ? 'page' : undefined}>
          {t('grid.view.tasks')}
          {waiting > 0 && <span className="badge">{waiting}</span>}
        </a>
        <a
          href={gridPath('report')}
          onClick={follow}
          aria-current={current === 'report' ? 'page' : undefined}
          data-testid="to-report"
        >
          {t('grid.view.report')}
        </a>
      </nav>
      <Outbox user={user} items={outbox} sending={sending} online={online} />
      {current === 'report' ? (
        <ReportForm user={user} region={me.user.scope.code} online={online} />
      ) : (
        <Tasks region={me.user.scope.code} online={online} round={round} />
      )}
    </div>
  );
}

function Outbox({
  user,
  items,
  sending,
  online,
}: {
  user: string;
  items: readonly OutboxItem[];
  sending: boolean;
  online: boolean;
}) {
  const { t, pick, time } = useI18n();
  if (items.length === 0) return null;
  const box = outboxOf(user);
  const editAgain = (item: OutboxItem) => {
    const draft = patrolDraft(user);
    if (!isBlankReport(draft.get())) return;
    // Back to the draft with its photos: the same idempotency key, as nothing was filed.
    draft.update(() => box.take(item.report.id)?.report ?? item.report);
    navigate(gridPath('report'));
  };
  return (
    <section className="card outbox" aria-labelledby="outbox-title">
      <h2 id="outbox-title">{t('grid.outbox')}</h2>
      <ul data-testid="outbox">
        {[...items].reverse().map((item) => {
          const state = stateOf(item, sending);
          const photos = item.report.photos.length + item.report.evidence.length;
          return (
            <li key={item.report.id} data-state={state} data-id={item.report.id} data-testid="outbox-item">
              <div className="outbox-head">
                <strong translate="no">{item.report.title}</strong>
                <span className={`state ${state}`}>{t(`grid.outbox.state.${state}`)}</span>
              </div>
              <p className="muted small">
                {time(item.queued_at)}
                {photos > 0 && <> · {t('grid.outbox.photos', { n: photos })}</>}
                {item.case && (
                  <>
                    {' · '}
                    <a
                      href={casePath(item.case.id)}
                      onClick={follow}
                      translate="no"
                      data-testid="outbox-reference"
                    >
                      {item.case.reference}
                    </a>
                  </>
                )}
              </p>
              {item.overtaken && <p className="small">{t('grid.outbox.overtaken')}</p>}
              {item.error && (
                <p className="error small" role="alert">
                  {pick(item.error)}
                </p>
              )}
              <div className="row">
                {state === 'waiting' && online && (
                  <button type="button" onClick={() => void flushOutbox(user)}>
                    {t('grid.outbox.send')}
                  </button>
                )}
                {item.error && !item.case && (
                  <button type="button" onClick={() => editAgain(item)}>
                    {t('grid.outbox.edit')}
                  </button>
                )}
                {item.error && (
                  <button type="button" onClick={() => box.remove(item.report.id)}>
                    {t('grid.outbox.remove')}
                  </button>
                )}
                {(state === 'reported' || state === 'resolved') && (
                  <button type="button" className="link" onClick={() => box.remove(item.report.id)}>
                    {t('grid.outbox.dismiss')}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** The region's categories, kept for the next visit so that the form works offline. */
function useCategories(region: string): Category[] {
  const key = `shanzhi.grid.categories.${region}`;
  const [items, setItems] = useState<Category[]>(() => {
    try {
      return JSON.parse(localStorage.getItem(key) ?? '[]') as Category[];
    } catch {
      return [];
    }
  });
  useEffect(() => {
    api
      .categories(region)
      .then((res) => {
        setItems(res.items);
        localStorage.setItem(key, JSON.stringify(res.items));
      })
      .catch(() => undefined); // offline: the kept list, if any, stays
  }, [key, region]);
  return items;
}

const NEED: Record<NonNullable<ReturnType<typeof missingOf>>, ConsoleKey> = {
  category: 'grid.report.need.category',
  title: 'grid.report.need.title',
  place: 'grid.report.need.place',
  evidence: 'grid.report.need.evidence',
};

function ReportForm({ user, region, online }: { user: string; region: string; online: boolean }) {
  const { t, lang } = useI18n();
  const store = patrolDraft(user);
  const draft = store.use();
  const categories = useCategories(region);
  const [restored, setRestored] = useState(store.restoredOnLoad && !isBlankReport(draft));
  const [problem, setProblem] = useState<ConsoleKey | null>(null);
  const [locating, setLocating] = useState(false);
  const set = (change: Partial<PatrolReport>) => store.update((d) => ({ ...d, ...change }));

  const groups = useMemo(() => {
    const byCode = new Map(categories.map((c) => [c.code, c]));
    const out = new Map<string, Category[]>();
    for (const c of categories) {
      if (!c.leaf) continue;
      const parent = c.parent_code ?? '';
      out.set(parent, [...(out.get(parent) ?? []), c]);
    }
    return [...out].map(([parent, leaves]) => ({ parent: byCode.get(parent) ?? null, leaves }));
  }, [categories]);
  const name = (c: { name: string; name_en: string }) => (lang === 'en' && c.name_en ? c.name_en : c.name);

  const photoBinding = (field: 'photos' | 'evidence'): PhotoBinding => ({
    change: (change) => store.update((d) => ({ ...d, [field]: change(d[field]) })),
  });
  const photoTexts = {
    add: t('grid.photo.add'),
    remove: t('grid.photo.remove'),
    uploading: t('grid.photo.uploading'),
    failed: t('grid.photo.failed'),
    alt: t('grid.photo.alt'),
  };

  const locate = () => {
    setProblem(null);
    if (!navigator.geolocation) return setProblem('grid.report.locate.failed');
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        const r = (v: number) => Math.round(v * 1e6) / 1e6;
        set({
          point: { lon: r(pos.coords.longitude), lat: r(pos.coords.latitude) },
          accuracy: Number.isFinite(pos.coords.accuracy) ? Math.round(pos.coords.accuracy) : null,
        });
      },
      () => {
        setLocating(false);
        setProblem('grid.report.locate.failed');
      },
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 30_000 },
    );
  };

  const startOver = () => {
    for (const p of [...draft.photos, ...draft.evidence]) void photoStore.delete(p.local);
    store.reset();
    setRestored(false);
    setProblem(null);
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const missing = missingOf(draft);
    if (missing) return setProblem(NEED[missing]);
    const report: PatrolReport = draft.resolve ? draft : { ...draft, evidence: [], done: '' };
    outboxOf(user).add(report);
    // Photos of the fix left out of a report for registration leave the phone's storage too.
    if (!draft.resolve) for (const p of draft.evidence) void photoStore.delete(p.local);
    store.reset();
    navigate(gridPath());
    if (navigator.onLine) void flushOutbox(user);
  };

  return (
    <form className="patrol" onSubmit={submit} noValidate data-testid="patrol-form">
      <h2>{t('grid.report.title')}</h2>
      {restored && (
        <p className="banner" data-testid="draft-restored">
          {t('grid.report.restored')}{' '}
          <button type="button" className="link" onClick={startOver}>
            {t('grid.report.clear')}
          </button>
        </p>
      )}

      <section className="card">
        <label>
          {t('grid.report.category')}
          <select
            name="category"
            value={draft.category?.code ?? ''}
            onChange={(e) => {
              const c = categories.find((x) => x.code === e.target.value);
              set({ category: c ? { code: c.code, name: c.name, name_en: c.name_en } : null });
            }}
            translate="no"
          >
            <option value="">{t('grid.report.category.choose')}</option>
            {draft.category && !categories.some((c) => c.code === draft.category?.code) && (
              <option value={draft.category.code}>{name(draft.category)}</option>
            )}
            {groups.map((g) => (
              <optgroup key={g.parent?.code ?? ''} label={g.parent ? name(g.parent) : ''}>
                {g.leaves.map((c) => (
                  <option key={c.code} value={c.code}>
                    {name(c)}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        {categories.length === 0 && <p className="muted small">{t('grid.report.category.none')}</p>}
        <label>
          {t('grid.report.what')}
          <input
            name="title"
            value={draft.title}
            maxLength={LIMITS.title}
            placeholder={t('grid.report.what.placeholder')}
            onChange={(e) => set({ title: e.target.value })}
            required
          />
        </label>
        <label>
          {t('grid.report.details')}
          <textarea
            name="description"
            rows={3}
            value={draft.description}
            maxLength={LIMITS.description}
            onChange={(e) => set({ description: e.target.value })}
          />
        </label>
      </section>

      <section className="card" aria-labelledby="where-title">
        <h3 id="where-title">{t('grid.report.where')}</h3>
        <button
          type="button"
          className="big secondary"
          onClick={locate}
          disabled={locating}
          data-testid="locate"
        >
          {locating ? t('grid.report.locating') : t('grid.report.locate')}
        </button>
        {draft.point && (
          <p className="small" data-testid="located">
            {t('grid.report.located', { lon: draft.point.lon.toFixed(5), lat: draft.point.lat.toFixed(5) })}
            {draft.accuracy !== null && t('grid.report.accuracy', { m: draft.accuracy })}
          </p>
        )}
        <label>
          {t('grid.report.address')}
          <input
            name="address"
            value={draft.address}
            maxLength={LIMITS.address}
            onChange={(e) => set({ address: e.target.value })}
          />
        </label>
      </section>

      <section className="card" aria-labelledby="photos-title">
        <h3 id="photos-title">{t('grid.report.photos', { max: LIMITS.photos })}</h3>
        <KeptPhotos
          photos={draft.photos}
          binding={photoBinding('photos')}
          texts={photoTexts}
          capture="environment"
          testId="patrol-photo"
        />
      </section>

      <fieldset className="card how">
        <legend>{t('grid.report.how')}</legend>
        <label className="choice">
          <input
            type="radio"
            name="how"
            value="resolve"
            checked={draft.resolve}
            onChange={() => set({ resolve: true })}
          />
          <span>
            <strong>{t('grid.report.resolve')}</strong>
            <span className="muted small">{t('grid.report.resolve.hint')}</span>
          </span>
        </label>
        <label className="choice">
          <input
            type="radio"
            name="how"
            value="register"
            checked={!draft.resolve}
            onChange={() => set({ resolve: false })}
          />
          <span>
            <strong>{t('grid.report.register')}</strong>
            <span className="muted small">{t('grid.report.register.hint')}</span>
          </span>
        </label>
        {draft.resolve && (
          <div className="evidence">
            <h3 id="evidence-title">{t('grid.report.evidence')}</h3>
            <KeptPhotos
              photos={draft.evidence}
              binding={photoBinding('evidence')}
              texts={photoTexts}
              capture="environment"
              testId="patrol-evidence"
            />
            <label>
              {t('grid.report.done')}
              <input
                name="done"
                value={draft.done}
                maxLength={500}
                placeholder={t('grid.report.done.placeholder')}
                onChange={(e) => set({ done: e.target.value })}
              />
            </label>
          </div>
        )}
      </fieldset>

      {problem && (
        <p className="error" role="alert" data-testid="patrol-problem">
          {t(problem)}
        </p>
      )}
      <button type="submit" className="big primary" data-testid="patrol-submit">
        {t('grid.report.submit')}
      </button>
      {!online && <p className="muted small">{t('grid.report.queued')}</p>}
    </form>
  );
}

interface VerifyTask {
  summary: CaseSummary;
  detail: CaseDetail | null;
}

/** A list fetched again on every round, every half minute, and when the network returns. */
function useList<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Label | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (d) => {
        noteReach(null);
        if (!live) return;
        setData(d);
        setError(null);
      },
      (e: unknown) => {
        noteReach(e);
        if (live) setError(labelOf(e, OFFLINE));
      },
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  useEffect(() => {
    const again = () => {
      if (document.visibilityState === 'visible' && navigator.onLine) setTick((n) => n + 1);
    };
    const timer = window.setInterval(again, REFRESH_MS);
    window.addEventListener('online', again);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('online', again);
    };
  }, []);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, reload };
}

function Tasks({ region, online, round }: { region: string; online: boolean; round: number }) {
  const { t } = useI18n();
  const verify = useList<VerifyTask[]>(async () => {
    const list = await api.cases({ assigned_to: 'me', sort: 'deadline', limit: '20' });
    // The photos of the fix are in each case's timeline; the first ten are fetched with the list.
    return Promise.all(
      list.items.map(async (summary, i) => ({
        summary,
        detail: i < 10 ? await api.case(summary.id).catch(() => null) : null,
      })),
    );
  }, [round]);
  const open = useList(
    () => api.cases({ region, status: OPEN_IN_GRID.join(','), sort: 'deadline', limit: '20' }),
    [region, round],
  );

  return (
    <>
      <section className="card" aria-labelledby="verify-title">
        <div className="section-head">
          <h2 id="verify-title">{t('grid.verify')}</h2>
          <button type="button" className="link" onClick={verify.reload}>
            {t('grid.refresh')}
          </button>
        </div>
        <ListProblem error={verify.error} hasData={verify.data !== null} online={online} />
        {verify.data?.length === 0 && <p className="muted">{t('grid.verify.empty')}</p>}
        <ul className="tasks" data-testid="verify-list">
          {verify.data?.map((task) => (
            <VerifyCard key={task.summary.id} task={task} onDone={verify.reload} />
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="open-title">
        <h2 id="open-title">{t('grid.open')}</h2>
        <ListProblem error={open.error} hasData={open.data !== null} online={online} />
        {open.data?.items.length === 0 && <p className="muted">{t('grid.open.empty')}</p>}
        <ul className="tasks" data-testid="open-list">
          {open.data?.items.map((c) => (
            <CaseLine key={c.id} summary={c} />
          ))}
        </ul>
      </section>
    </>
  );
}

/** Why a list is missing: offline (the outbox still works), or the server's own refusal. */
function ListProblem({ error, hasData, online }: { error: Label | null; hasData: boolean; online: boolean }) {
  const { t, pick } = useI18n();
  if (!error || hasData) return null;
  return <p className="muted">{online ? pick(error) : t('grid.list.offline')}</p>;
}

function CaseLine({ summary }: { summary: CaseSummary }) {
  const { pick } = useI18n();
  return (
    <li data-id={summary.id}>
      <a href={casePath(summary.id)} onClick={follow} className="task-link">
        <span className="task-title" translate="no">
          {summary.title}
        </span>
        <span className="muted small">
          <span translate="no">{summary.reference}</span> · {pick(stageLabel(summary.status))}
        </span>
      </a>
    </li>
  );
}

function VerifyCard({ task, onDone }: { task: VerifyTask; onDone(): void }) {
  const { t, pick } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Label | null>(null);
  const { summary, detail } = task;
  const photos = detail ? evidencePhotos(detail) : [];
  const canPass = detail?.allowed_actions.includes('verify_pass') ?? false;
  const pass = async () => {
    if (!detail) return;
    setBusy(true);
    setError(null);
    try {
      await api.act(detail.id, { action: 'verify_pass', expected_version: detail.version });
      onDone();
    } catch (e) {
      setError(labelOf(e, OFFLINE));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li data-id={summary.id} className="verify-card">
      <p className="task-title" translate="no">
        {summary.title}
      </p>
      <p className="muted small">
        <span translate="no">{summary.reference}</span> · {pick(stageLabel(summary.status))}
      </p>
      {detail && (
        <>
          <p className="small">{t('grid.verify.evidence')}</p>
          {photos.length > 0 ? (
            <ul className="gallery" data-testid="evidence">
              {photos.map((id) => (
                <li key={id}>
                  <a href={attachmentUrl(id)} target="_blank" rel="noreferrer">
                    <img src={thumbnailUrl(id)} alt={t('grid.verify.evidence')} loading="lazy" />
                  </a>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted small">{t('grid.verify.no_evidence')}</p>
          )}
        </>
      )}
      {error && (
        <p className="error small" role="alert">
          {pick(error)}
        </p>
      )}
      <div className="row">
        {canPass && (
          <button type="button" className="primary" onClick={() => void pass()} disabled={busy}>
            {t('grid.verify.pass')}
          </button>
        )}
        <a href={casePath(summary.id)} onClick={follow} className="button">
          {t('grid.verify.open')}
        </a>
      </div>
    </li>
  );
}
