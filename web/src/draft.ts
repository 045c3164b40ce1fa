import { useSyncExternalStore } from 'react';
import { clearDraft, emptyDraft, loadDraft, saveDraft, type Draft } from './storage.ts';

/**
 * The one draft report of this browser, shared by the report page and the sender that waits for
 * the network: every change is written to localStorage at once.
 */
let current: Draft = loadDraft() ?? emptyDraft();
/** What the page found on load: a draft from an earlier visit. */
export const restoredOnLoad = loadDraft() !== null;
const listeners = new Set<() => void>();

export function getDraft(): Draft {
  return current;
}

export function updateDraft(change: (draft: Draft) => Draft): Draft {
  current = change(current);
  saveDraft(current);
  for (const listener of listeners) listener();
  return current;
}

/** After a successful send or "start over": a fresh draft with a fresh idempotency key. */
export function resetDraft(): void {
  clearDraft();
  current = emptyDraft();
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useDraft(): Draft {
  return useSyncExternalStore(subscribe, getDraft);
}
