import { attachmentIdOf } from '../../../../../src/core/attachments/refs.ts';
import { uploadKeptPhoto } from '../../../submit.ts';
import type { DraftPhoto } from '../../../storage.ts';
import { ApiError, NetworkError, api, type CaseDetail, type StaffReport } from '../../api.ts';
import { evidenceOf, isFinished, outboxOf, type OutboxItem, type PatrolReport } from './patrol.ts';

/**
 * The grid worker's calls to the API: the patrol report through intake (`POST /api/v1/cases`,
 * channel `patrol`, the report's idempotency key) and the self_resolve step after it
 * (`POST /api/v1/cases/{id}/actions` with the case's version), each made so that sending the
 * outbox again — after a lost answer, a reload, a second tab — files one case and resolves it
 * once.
 */

/** Open stages of a grid's cases: what the worker sees in "open in my grid". */
export const OPEN_IN_GRID = ['reported', 'verifying', 'registered', 'dispatched', 'arbitration', 'handling'];

export function intakeBody(report: PatrolReport, region: string): StaffReport {
  const title = report.title.trim();
  const address = report.address.trim();
  return {
    channel: 'patrol',
    category: report.category?.code ?? null,
    title,
    description: report.description.trim() || title,
    location: {
      // Without a fix, intake places the address in the worker's own region (community or grid).
      ...(report.point ? { lon: report.point.lon, lat: report.point.lat } : { region }),
      ...(address ? { address } : {}),
    },
    photos: report.photos.flatMap((p) => (p.uploaded ? [p.uploaded.url] : [])),
    idempotency_key: report.id,
  };
}

type Field = 'photos' | 'evidence';

/** Uploads the photos of one field that still wait, recording each upload in the outbox. */
async function uploadAll(user: string, id: string, field: Field): Promise<void> {
  const box = outboxOf(user);
  const waiting = (): DraftPhoto[] =>
    box
      .items()
      .find((i) => i.report.id === id)
      ?.report[field].filter((p) => !p.uploaded) ?? [];
  for (const photo of waiting()) {
    await uploadKeptPhoto(photo, {
      upload: api.upload,
      replace: (local, next) =>
        box.change(id, (item) => ({
          ...item,
          report: {
            ...item.report,
            [field]: item.report[field].flatMap((p) => (p.local === local ? (next ? [next] : []) : [p])),
          },
        })),
    });
  }
}

/** Whether the case's timeline already holds this worker's self_resolve (a retried step's first try). */
function resolvedIn(detail: CaseDetail): boolean {
  return detail.timeline.some((e) => e.action === 'self_resolve');
}

/**
 * The self_resolve step, sent once: the expected version pins it to the case as intake left it,
 * so a second try after a lost answer is refused (409, or 422 once the stage has moved) and the
 * case itself says whether the first one went through.
 */
async function resolve(user: string, item: OutboxItem): Promise<void> {
  const box = outboxOf(user);
  const id = item.report.id;
  const known = item.case!;
  const settle = (detail: CaseDetail, resolved: boolean) =>
    box.change(id, (i) => ({
      ...i,
      case: { ...known, version: detail.version },
      resolved,
      overtaken: !resolved,
    }));
  try {
    const detail = await api.act(known.id, {
      action: 'self_resolve',
      expected_version: known.version,
      evidence: evidenceOf(box.items().find((i) => i.report.id === id)!.report),
    });
    settle(detail, true);
    return;
  } catch (error) {
    if (!(error instanceof ApiError) || (error.status !== 409 && error.status !== 422)) throw error;
  }
  const detail = await api.case(known.id);
  if (resolvedIn(detail)) return void settle(detail, true);
  if (detail.allowed_actions.includes('self_resolve')) {
    // Someone acted in between (registered it, say), and the step is still the worker's to take.
    box.change(id, (i) => ({ ...i, case: { ...known, version: detail.version } }));
    const next = box.items().find((i) => i.report.id === id)!;
    const again = await api.act(known.id, {
      action: 'self_resolve',
      expected_version: detail.version,
      evidence: evidenceOf(next.report),
    });
    return void settle(again, true);
  }
  // Moved on by someone else (dispatched, voided, merged): the report stands, the fix is theirs.
  settle(detail, false);
}

/** Sends one report of the outbox as far as it goes: photos, the report, then the step. */
async function sendItem(user: string, id: string, region: string): Promise<void> {
  const box = outboxOf(user);
  const current = () => box.items().find((i) => i.report.id === id);
  let item = current();
  if (!item || item.error) return;
  if (!item.case) {
    await uploadAll(user, id, 'photos');
    item = current()!;
    const answer = await api.report(intakeBody(item.report, region));
    item = box.change(id, (i) => ({
      ...i,
      case: { id: answer.id, reference: answer.reference, version: answer.version },
    }))!;
  }
  if (item.report.resolve && !item.resolved && !item.overtaken) {
    await uploadAll(user, id, 'evidence');
    await resolve(user, current()!);
  }
}

/**
 * Whether the last call reached the server. The browser's `navigator.onLine` is true on a
 * network that leads nowhere (a dead cell, a captive portal); a call that got no answer says more.
 */
let unreachable = false;
const reachListeners = new Set<() => void>();

export function noteReach(error: unknown): void {
  const next = error instanceof NetworkError;
  if (next === unreachable) return;
  unreachable = next;
  for (const listener of reachListeners) listener();
}

export function isUnreachable(): boolean {
  return unreachable;
}

export function onReachChange(listener: () => void): () => void {
  reachListeners.add(listener);
  return () => reachListeners.delete(listener);
}

let flushing: Promise<void> | null = null;
const sendingListeners = new Set<() => void>();

export function isSending(): boolean {
  return flushing !== null;
}

export function onSendingChange(listener: () => void): () => void {
  sendingListeners.add(listener);
  return () => sendingListeners.delete(listener);
}

/**
 * Sends every waiting report of the worker, oldest first. The session is asked first (it also
 * answers the CSRF token, which a reload does not keep), and reports go only under the user who
 * wrote them. A lost network stops the round: the reports wait for the next one. A refusal stays
 * on its report for the worker to see. Rounds never overlap, in this tab or, where the browser
 * has Web Locks, in another tab of the same phone.
 */
export function flushOutbox(user: string): Promise<void> {
  if (flushing) return flushing;
  const round = async () => {
    const me = await api.me().catch((error: unknown) => {
      noteReach(error);
      throw error;
    });
    noteReach(null);
    if (me.user.username !== user) return;
    const region = me.user.scope.code;
    for (const item of outboxOf(user).items()) {
      try {
        await sendItem(user, item.report.id, region);
      } catch (error) {
        // No network, or a session that ended: nothing more of this round can go; all waits.
        noteReach(error);
        if (error instanceof NetworkError) return;
        if (error instanceof ApiError && error.code.startsWith('auth.')) return;
        const label = error instanceof ApiError ? error.label : { zh: String(error), en: String(error) };
        outboxOf(user).change(item.report.id, (i) => ({ ...i, error: label }));
      }
    }
  };
  const notify = () => {
    for (const listener of sendingListeners) listener();
  };
  const locked = async (): Promise<void> => {
    if ('locks' in navigator) await navigator.locks.request(`shanzhi.grid.outbox.${user}`, round);
    else await round();
  };
  flushing = locked()
    .catch(() => undefined) // offline before the first call: the next round tries again
    .finally(() => {
      flushing = null;
      notify();
    });
  notify();
  return flushing;
}

/** Whether anything of the worker's outbox still waits to be sent. */
export function hasWaiting(user: string): boolean {
  return outboxOf(user)
    .items()
    .some((i) => !i.error && !isFinished(i));
}

/** The evidence photos of the latest fix reported on a case (feedback or self_resolve). */
export function evidencePhotos(detail: CaseDetail): string[] {
  for (const e of [...detail.timeline].reverse()) {
    if (e.action !== 'feedback' && e.action !== 'self_resolve') continue;
    const refs: unknown[] = Array.isArray(e.payload.evidence) ? e.payload.evidence : [];
    const ids = refs.flatMap((ref) => {
      const id = typeof ref === 'string' ? attachmentIdOf(ref) : null;
      return id ? [id] : [];
    });
    if (ids.length > 0) return ids;
  }
  return [];
}
