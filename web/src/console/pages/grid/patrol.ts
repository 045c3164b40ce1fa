import { useSyncExternalStore } from 'react';
import { createDraftStore, type DraftStore } from '../../../draft.ts';
import { newId, photoStore, type DraftPhoto, type Point } from '../../../storage.ts';

/**
 * A grid worker's report on the spot (巡查上报), and the outbox of reports waiting for the network.
 * Text is kept in localStorage and photos in IndexedDB, as the resident site keeps its draft
 * (web/src/storage.ts), under the worker's user name: a phone shared by two workers never sends
 * one worker's report under the other's session.
 */
export interface PatrolReport {
  /** Sent as idempotency_key: made once per report, so a retry never files a second case. */
  id: string;
  category: { code: string; name: string; name_en: string } | null;
  title: string;
  description: string;
  point: Point | null;
  /** The fix's accuracy in metres, as the phone reported it. */
  accuracy: number | null;
  address: string;
  /** Photos of the problem, sent with the report. */
  photos: DraftPhoto[];
  /** Resolved on the spot (自处理): the self_resolve step follows the report. */
  resolve: boolean;
  /** Photos after the fix: the self_resolve step's evidence. */
  evidence: DraftPhoto[];
  /** What was done, the evidence's line of text. */
  done: string;
}

/** Where one report stands in the outbox; the page shows it and the test reads it. */
export type OutboxState = 'waiting' | 'sending' | 'reported' | 'resolved' | 'failed';

export interface OutboxItem {
  report: PatrolReport;
  queued_at: string;
  /** The case intake answered (once known, a retry only finishes the self_resolve step). */
  case: { id: string; reference: string; version: number } | null;
  /** The self_resolve step went through (or was found done after a lost answer). */
  resolved: boolean;
  /** A refusal the worker has to look at: the report stays until it is edited or removed. */
  error: { zh: string; en: string } | null;
  /** The case was moved on by someone else before the self_resolve step: it was not resolved here. */
  overtaken: boolean;
}

export function emptyReport(): PatrolReport {
  return {
    id: newId(),
    category: null,
    title: '',
    description: '',
    point: null,
    accuracy: null,
    address: '',
    photos: [],
    resolve: true,
    evidence: [],
    done: '',
  };
}

export function isBlankReport(r: PatrolReport): boolean {
  return (
    !r.category &&
    !r.title &&
    !r.description &&
    !r.point &&
    !r.address &&
    r.photos.length === 0 &&
    r.evidence.length === 0 &&
    !r.done
  );
}

const draftKey = (user: string) => `shanzhi.grid.draft.${user}`;
const outboxKey = (user: string) => `shanzhi.grid.outbox.${user}`;

function readJson<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

const drafts = new Map<string, DraftStore<PatrolReport>>();

/** The worker's draft report, kept on every change (web/src/draft.ts). */
export function patrolDraft(user: string): DraftStore<PatrolReport> {
  let store = drafts.get(user);
  if (!store) {
    store = createDraftStore<PatrolReport>({
      load: () => {
        const found = readJson<Partial<PatrolReport>>(draftKey(user));
        return found && typeof found.id === 'string' ? { ...emptyReport(), ...found } : null;
      },
      save: (d) => localStorage.setItem(draftKey(user), JSON.stringify(d)),
      clear: () => localStorage.removeItem(draftKey(user)),
      empty: emptyReport,
    });
    drafts.set(user, store);
  }
  return store;
}

/** How many finished reports the outbox keeps on show (newest first). */
const KEEP_FINISHED = 10;

/** The reports submitted on this phone and not yet (or lately) sent, oldest first. */
export interface Outbox {
  items(): readonly OutboxItem[];
  add(report: PatrolReport): void;
  change(id: string, change: (item: OutboxItem) => OutboxItem): OutboxItem | undefined;
  /** Deletes a report and its photos. */
  remove(id: string): void;
  /** Takes a report out, photos kept (back to the draft to be edited). */
  take(id: string): OutboxItem | undefined;
  use(): readonly OutboxItem[];
}

const outboxes = new Map<string, Outbox>();

export function outboxOf(user: string): Outbox {
  let box = outboxes.get(user);
  if (box) return box;
  const key = outboxKey(user);
  let items: readonly OutboxItem[] = readJson<OutboxItem[]>(key) ?? [];
  const listeners = new Set<() => void>();
  const write = (next: readonly OutboxItem[]) => {
    items = next;
    localStorage.setItem(key, JSON.stringify(items));
    for (const listener of listeners) listener();
  };
  // Another tab's change (its sender, its submit) reaches this one too.
  window.addEventListener('storage', (e) => {
    if (e.key !== key) return;
    items = readJson<OutboxItem[]>(key) ?? [];
    for (const listener of listeners) listener();
  });
  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  box = {
    items: () => items,
    add(report) {
      write([
        ...items,
        {
          report,
          queued_at: new Date().toISOString(),
          case: null,
          resolved: false,
          error: null,
          overtaken: false,
        },
      ]);
    },
    change(id, change) {
      let changed: OutboxItem | undefined;
      const next = items.map((item) => {
        if (item.report.id !== id) return item;
        changed = change(item);
        return changed;
      });
      // Finished reports beyond the last few leave the list; their photos left IndexedDB on upload.
      const finished = next.filter(isFinished);
      const drop = new Set(finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED)));
      write(next.filter((item) => !drop.has(item)));
      return changed;
    },
    remove(id) {
      const item = items.find((i) => i.report.id === id);
      if (!item) return;
      for (const p of [...item.report.photos, ...item.report.evidence]) void photoStore.delete(p.local);
      write(items.filter((i) => i !== item));
    },
    take(id) {
      const item = items.find((i) => i.report.id === id);
      if (item) write(items.filter((i) => i !== item));
      return item;
    },
    use: () => useSyncExternalStore(subscribe, () => items),
  };
  outboxes.set(user, box);
  return box;
}

export function isFinished(item: OutboxItem): boolean {
  return item.case !== null && (!item.report.resolve || item.resolved || item.overtaken);
}

export function stateOf(item: OutboxItem, sending: boolean): OutboxState {
  if (item.error) return 'failed';
  if (isFinished(item)) return item.report.resolve && item.resolved ? 'resolved' : 'reported';
  return sending ? 'sending' : 'waiting';
}

/** The self_resolve step's evidence: the photos after the fix, then the line of text. */
export function evidenceOf(report: PatrolReport): string[] {
  return [
    ...report.evidence.flatMap((p) => (p.uploaded ? [p.uploaded.url] : [])),
    ...(report.done.trim() ? [report.done.trim()] : []),
  ];
}

/** What the form must have before it may be submitted; null when it is complete. */
export type Missing = 'category' | 'title' | 'place' | 'evidence';

export function missingOf(r: PatrolReport): Missing | null {
  if (!r.category) return 'category';
  if (!r.title.trim()) return 'title';
  if (!r.point && !r.address.trim()) return 'place';
  if (r.resolve && r.evidence.length === 0 && !r.done.trim()) return 'evidence';
  return null;
}
