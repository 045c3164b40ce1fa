import { useSyncExternalStore } from 'react';
import { clearDraft, emptyDraft, loadDraft, saveDraft, type Draft } from './storage.ts';

/** Where a draft is kept between visits, and what a fresh one looks like. */
export interface DraftKeeping<D> {
  load(): D | null;
  save(draft: D): void;
  clear(): void;
  empty(): D;
}

/** One draft kept across reloads: every change is written at once, and the page re-renders. */
export interface DraftStore<D> {
  get(): D;
  update(change: (draft: D) => D): D;
  /** After a successful send or "start over": a fresh draft (with a fresh idempotency key). */
  reset(): void;
  /** What the page found on load: a draft from an earlier visit. */
  readonly restoredOnLoad: boolean;
  use(): D;
}

/**
 * A draft store over any keeping: the resident site's report (below) and the grid worker's patrol
 * report in the console (pages/grid/patrol.ts) are two of them.
 */
export function createDraftStore<D>(keeping: DraftKeeping<D>): DraftStore<D> {
  const found = keeping.load();
  let current: D = found ?? keeping.empty();
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  const get = () => current;
  return {
    get,
    update(change) {
      current = change(current);
      keeping.save(current);
      notify();
      return current;
    },
    reset() {
      keeping.clear();
      current = keeping.empty();
      notify();
    },
    restoredOnLoad: found !== null,
    use: () => useSyncExternalStore(subscribe, get),
  };
}

/**
 * The one draft report of this browser, shared by the report page and the sender that waits for
 * the network: every change is written to localStorage at once.
 */
const residentDraft = createDraftStore<Draft>({
  load: loadDraft,
  save: saveDraft,
  clear: clearDraft,
  empty: emptyDraft,
});

export const restoredOnLoad = residentDraft.restoredOnLoad;
export const getDraft = (): Draft => residentDraft.get();
export const updateDraft = (change: (draft: Draft) => Draft): Draft => residentDraft.update(change);
export const resetDraft = (): void => residentDraft.reset();
export const useDraft = (): Draft => residentDraft.use();
