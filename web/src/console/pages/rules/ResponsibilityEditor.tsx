import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, labelOf } from '../../../http.ts';
import { OFFLINE, useI18n } from '../../i18n/index.tsx';
import { CoverageReport } from './CoverageReport.tsx';
import { DutiesTable } from './DutiesTable.tsx';
import { EntriesTable } from './EntriesTable.tsx';
import { makeNames } from './labels.ts';
import { ListDiffView } from './ListDiff.tsx';
import { ListFiles } from './ListFiles.tsx';
import { ListVersions } from './ListVersions.tsx';
import { RegionPicker, useAllowed, useRuleRegion } from './RegionPicker.tsx';
import { diffLists, problemsByRow, type ListDiff, type RowProblems } from './responsibility-model.ts';
import {
  rulesApi,
  type CategoryItem,
  type Department,
  type ListContent,
  type ListHeader,
  type Problem,
  type RegionInfo,
  type RegionItem,
  type RuleList,
} from './rules-api.ts';

/** A 400 on saving names fields as `entries.3.lead`: shown on the row like the validator's problems. */
function savingProblems(error: unknown): Problem[] | null {
  if (!(error instanceof ApiError)) return null;
  if (error.code === 'responsibility.invalid_list' && Array.isArray(error.details.problems))
    return error.details.problems as Problem[];
  if (error.code === 'request.invalid' && Array.isArray(error.details.fields))
    return (error.details.fields as Array<{ path: string; message: string }>).map((f) => ({
      at: f.path.replace(/^(entries|township_duties)\.(\d+)/, '$1[$2]'),
      reason: f.message,
    }));
  return null;
}

/**
 * 权责清单 of one region: the published versions for everyone; for those the server lets edit it,
 * the draft in a table — rows edited in place, validated with the problems on their rows, compared
 * with the published version, published — and the files. The page holds no rule of its own.
 */
export function ResponsibilityEditor({ params }: { params: URLSearchParams }) {
  const { t, pick } = useI18n();
  const { region, error: regionError, inScope } = useRuleRegion(params);
  const canEdit = useAllowed('responsibility.edit', inScope);
  const canPublish = useAllowed('responsibility.publish', inScope);
  const [headers, setHeaders] = useState<ListHeader[] | null>(null);
  const [list, setList] = useState<RuleList | null>(null);
  const [content, setContent] = useState<ListContent | null>(null);
  const [dirty, setDirty] = useState(false);
  const [open, setOpen] = useState<number | null>(null);
  const [problems, setProblems] = useState<RowProblems | null>(null);
  const [diff, setDiff] = useState<{ diff: ListDiff; version: number | null } | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [stamp, setStamp] = useState(0);
  const [lookups, setLookups] = useState<{
    categories: CategoryItem[];
    departments: Department[];
    townships: RegionItem[];
  }>({ categories: [], departments: [], townships: [] });
  const code = region?.code;
  const wanted = params.get('version');

  const load = useCallback(
    async (r: RegionInfo) => {
      const { items } = await rulesApi.lists(r.code);
      setHeaders(items);
      const pick =
        items.find((h) => (wanted ? String(h.version) === wanted : h.status === 'draft')) ??
        items.find((h) => h.status === 'published');
      const shown = pick ? await rulesApi.list(pick.id) : null;
      setList(shown);
      setContent(shown && { entries: shown.entries, township_duties: shown.township_duties });
      setDirty(false);
      setOpen(null);
      setDiff(null);
    },
    [wanted],
  );

  useEffect(() => {
    if (!region) return;
    setError(null);
    setProblems(null);
    setStatus(null);
    load(region).catch(setError);
    Promise.all([
      rulesApi.categories(region.code),
      rulesApi.departments(region.code),
      region.level === 'county'
        ? rulesApi.children(region.code).then((c) => c.children)
        : Promise.resolve([]),
    ])
      .then(([c, d, townships]) => setLookups({ categories: c.items, departments: d.items, townships }))
      .catch(setError);
  }, [region, load]);

  const names = useMemo(() => makeNames(lookups.categories, lookups.departments), [lookups]);
  const isDraft = list?.status === 'draft';
  const editable = canEdit && isDraft;
  const published = headers?.find((h) => h.status === 'published') ?? null;
  const draftHeader = headers?.find((h) => h.status === 'draft') ?? null;

  const edit = (next: ListContent) => {
    setContent(next);
    setDirty(true);
    setDiff(null);
    setStatus(null);
  };
  const run = async (step: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      await step();
    } catch (e) {
      const rows = savingProblems(e);
      if (rows) setProblems(problemsByRow(rows));
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const save = async () => {
    if (!list || !content || !dirty) return;
    await rulesApi.save(list.id, content);
    setDirty(false);
  };
  const validate = () =>
    run(async () => {
      await save();
      const answer = await rulesApi.validate(list!.id);
      setProblems(problemsByRow(answer.problems));
      setStatus(
        answer.problems.length
          ? t('rules.resp.problems', { count: answer.problems.length })
          : t('rules.resp.valid'),
      );
    });
  const compare = () =>
    run(async () => {
      const before = published ? await rulesApi.list(published.id) : { entries: [], township_duties: [] };
      setDiff({ diff: diffLists(before, content!), version: published?.version ?? null });
    });
  const publish = () =>
    run(async () => {
      await save();
      const header = await rulesApi.publish(list!.id);
      setProblems(null);
      await load(region!);
      setStamp((s) => s + 1);
      setStatus(t('rules.resp.published', { version: header.version ?? '' }));
    });
  const show = (id: string) =>
    run(async () => {
      const l = await rulesApi.list(id);
      setList(l);
      setContent(l);
      setDirty(false);
      setProblems(null);
      setDiff(null);
    });
  const openDraft = () =>
    run(async () => {
      await rulesApi.draft(region!.code);
      await load(region!);
    });

  if (regionError) return <p className="error">{pick(labelOf(regionError, OFFLINE))}</p>;
  if (!region || !headers) return <p role="status">{t('loading')}</p>;
  const entries = content?.entries ?? [];
  const rowProblems = problems ?? { entries: new Map(), duties: new Map(), other: [] };
  return (
    <section className="rules-editor" aria-labelledby="resp-title" data-testid="responsibility">
      <h1 id="resp-title">{t('rules.section.responsibility')}</h1>
      <RegionPicker region={region} stopAt="township" />
      <ListVersions list={list} headers={headers} readOnly={!canEdit} onPick={(id) => void show(id)} />
      {canEdit && (
        <div className="buttons toolbar" data-testid="resp-toolbar">
          {!draftHeader && (
            <button
              type="button"
              className="primary"
              onClick={openDraft}
              disabled={busy}
              data-testid="open-draft"
            >
              {t('rules.resp.open_draft')}
            </button>
          )}
          {draftHeader && !isDraft && (
            <button type="button" onClick={() => void show(draftHeader.id)}>
              {t('rules.resp.show_draft')}
            </button>
          )}
          {editable && (
            <>
              <button
                type="button"
                onClick={() => void run(save)}
                disabled={busy || !dirty}
                data-testid="save"
              >
                {t('rules.resp.save')}
              </button>
              <button type="button" onClick={() => void validate()} disabled={busy} data-testid="validate">
                {t('rules.resp.validate')}
              </button>
              <button type="button" onClick={() => void compare()} disabled={busy} data-testid="compare">
                {t('rules.resp.compare')}
              </button>
              {canPublish && (
                <button
                  type="button"
                  className="primary"
                  onClick={() => void publish()}
                  disabled={busy}
                  data-testid="publish"
                >
                  {t('rules.resp.publish')}
                </button>
              )}
              {dirty && <span className="muted small">{t('rules.resp.unsaved')}</span>}
            </>
          )}
        </div>
      )}
      {status && (
        <p role="status" className="ok" data-testid="resp-status">
          {status}
        </p>
      )}
      {error !== null && (
        <p role="alert" className="error" data-testid="resp-error">
          {pick(labelOf(error, OFFLINE))}
        </p>
      )}
      {diff && <ListDiffView diff={diff.diff} version={diff.version} names={names} />}
      <datalist id="rules-categories">
        {lookups.categories.map((c) => (
          <option key={c.code} value={c.code} translate="no">
            {c.name}
          </option>
        ))}
      </datalist>
      {content && (
        <div className="table-wrap">
          <EntriesTable
            entries={entries}
            names={names}
            departments={lookups.departments}
            problems={rowProblems.entries}
            editable={editable}
            open={open}
            onOpen={setOpen}
            onChange={(next, removed) => {
              if (removed) setProblems(null);
              edit({ ...content, entries: next });
            }}
          />
          <DutiesTable
            duties={content.township_duties}
            townships={lookups.townships}
            names={names}
            problems={rowProblems.duties}
            editable={editable}
            onChange={(duties) => edit({ ...content, township_duties: duties })}
          />
        </div>
      )}
      <ListFiles
        region={region.code}
        version={list ? (list.status === 'draft' ? 'draft' : list.version) : null}
        editable={canEdit}
        onImported={() => void load(region).catch(setError)}
      />
      {code && <CoverageReport region={code} names={names} stamp={stamp} />}
    </section>
  );
}
