import { findActorUnit, loadCase, toSnapshot } from '../cases/case-rows.ts';
import { actOnCase, type WorkflowDeps } from '../cases/act-on-case.ts';
import { toActor } from '../accounts/users.ts';
import type { Actor } from '../core/access/roles.ts';
import { DomainError, isDomainError } from '../core/errors.ts';
import { parseDateParam } from '../core/open311/filters.ts';
import { chooseUpdateAction, isUpdateStatus, type UpdateStatus } from '../core/open311/status.ts';
import { mediaUrl } from '../core/open311/visibility.ts';
import { availableActions } from '../core/workflow/parties.ts';
import { isWithin } from '../core/regions/codes.ts';
import type { ActionName } from '../core/workflow/transitions.ts';
import type { Store } from '../db/database.ts';
import { isUniqueViolation } from '../db/dialect.ts';
import { inTransaction } from '../db/transaction.ts';
import { getRegion } from '../regions/find-regions.ts';
import { bilingual, fill, OPEN311_TEXTS } from '../i18n/open311.ts';
import { appendCaseNote } from '../cases/append-case-note.ts';
import { useApiKey, type ApiClient } from './use-api-key.ts';

/** POST servicerequestupdates as the form carries it (mySociety's extension). */
export interface PostUpdateInput {
  api_key?: string | undefined;
  service_request_id?: string | undefined;
  update_id?: string | undefined;
  status?: string | undefined;
  updated_datetime?: string | undefined;
  description?: string | undefined;
  media_url?: string | undefined;
  external_status_code?: string | undefined;
  account_id?: string | undefined;
}

export interface PostedUpdate {
  /** Our id of the update: the case event it became, as the update feed lists it. */
  update_id: string;
  account_id: string | null;
  /** The workflow action it became, or `note`. */
  action: ActionName | 'note';
}

const DESCRIPTION_MAX = 4000;

function required(input: PostUpdateInput, name: keyof PostUpdateInput): string {
  const value = input[name]?.trim();
  if (!value) throw new DomainError('open311.parameter_required', { parameter: name });
  return value;
}

async function keyActor(store: Pick<Store, 'db'>, client: ApiClient): Promise<Actor | null> {
  if (client.user_id === null) return null;
  const user = await store.db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', client.user_id)
    .executeTakeFirst();
  return user && user.disabled !== 1 ? toActor(user) : null;
}

/**
 * POST servicerequestupdates (docs/open311.md): a back-office system tells a case's new status.
 * With a key bound to a staff account, the status becomes the first workflow action of
 * UPDATE_ACTIONS that the stage and that account allow (IN_PROGRESS → accept, FIXED → feedback …),
 * with the description as its reason or note; otherwise it is kept as a `note` event. The update id
 * is claimed first (one per key: a repeat is `open311.update_exists`), so an update is applied once.
 */
export async function postUpdate(
  deps: WorkflowDeps & { store: Pick<Store, 'db' | 'traits'> },
  input: PostUpdateInput,
): Promise<PostedUpdate> {
  const { db, traits } = deps.store;
  const client = await useApiKey({ db, clock: deps.clock }, input.api_key, 'updates');
  const reference = required(input, 'service_request_id');
  const updateId = required(input, 'update_id');
  const statusText = required(input, 'status').toUpperCase();
  if (!isUpdateStatus(statusText)) {
    throw new DomainError('open311.parameter_invalid', {
      parameter: 'status',
      rule: 'a status of the extension',
    });
  }
  const status: UpdateStatus = statusText;
  const updated = parseDateParam('updated_datetime', required(input, 'updated_datetime'));
  const description = required(input, 'description');
  if ([...description].length > DESCRIPTION_MAX || updateId.length > 128) {
    throw new DomainError('open311.parameter_invalid', {
      parameter: updateId.length > 128 ? 'update_id' : 'description',
      rule: updateId.length > 128 ? 'at most 128 characters' : `at most ${DESCRIPTION_MAX} characters`,
    });
  }
  const media = input.media_url?.trim() || undefined;
  if (media !== undefined && mediaUrl(media) === null) {
    throw new DomainError('open311.parameter_invalid', { parameter: 'media_url', rule: 'an http(s) URL' });
  }
  const external = input.external_status_code?.trim() || null;

  // cases.reference unique index. A case outside the key's region is as unknown as a missing one.
  const found = await db
    .selectFrom('cases')
    .select(['id', 'region_code'])
    .where('reference', '=', reference)
    .executeTakeFirst();
  const scope = await getRegion(db, client.region_code);
  if (!found || !isWithin(found.region_code, scope.code, scope.level)) {
    throw new DomainError('open311.request_not_found', { service_request_id: reference });
  }
  try {
    await db
      .insertInto('open311_updates')
      .values({
        api_key_id: client.id,
        update_id: updateId,
        case_id: found.id,
        status,
        external_status_code: external,
        updated_datetime: updated.toISOString(),
        action: 'note',
        event_version: null,
        received_at: deps.clock.now().toISOString(),
      })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('open311.update_exists', { update_id: updateId });
    throw error;
  }

  try {
    const actor = await keyActor(deps.store, client);
    const applied = actor ? await tryAction(deps, actor, found.id, status, description, media) : null;
    const payload = { source: 'open311', update_id: updateId, status, external_status_code: external };
    const result =
      applied ??
      (await inTransaction(db, async (tx) => {
        const note = await appendCaseNote({ tx, traits, clock: deps.clock }, found.id, {
          actor: actor
            ? { user_id: actor.user_id, username: actor.username, role: actor.roles[0] ?? 'system' }
            : { user_id: null, username: `open311:${client.label}`, role: 'system' },
          text: `${bilingual(fill(OPEN311_TEXTS.note, { status }))}: ${description}`,
          payload: { ...payload, ...(media ? { evidence: [media] } : {}) },
        });
        return { action: 'note' as const, version: note.version };
      }));
    await db
      .updateTable('open311_updates')
      .set({ action: result.action, event_version: result.version })
      .where('api_key_id', '=', client.id)
      .where('update_id', '=', updateId)
      .execute();
    const event = await db
      .selectFrom('case_events')
      .select('id')
      .where('case_id', '=', found.id)
      .where('version', '=', result.version)
      .executeTakeFirstOrThrow();
    return {
      update_id: String(event.id),
      account_id: input.account_id?.trim() || null,
      action: result.action,
    };
  } catch (error) {
    await db
      .deleteFrom('open311_updates')
      .where('api_key_id', '=', client.id)
      .where('update_id', '=', updateId)
      .where('event_version', 'is', null)
      .execute();
    throw error;
  }
}

/**
 * The workflow action the update means for this actor now, performed; null when none applies.
 * A step that races with another handler is tried again on the fresh version.
 */
async function tryAction(
  deps: WorkflowDeps,
  actor: Actor,
  caseId: string,
  status: UpdateStatus,
  description: string,
  media: string | undefined,
): Promise<{ action: ActionName; version: number } | null> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const { row, tasks } = await loadCase(deps.store.db, deps.store.traits, caseId);
    const unit = await findActorUnit(deps.store.db, actor);
    const action = chooseUpdateAction(status, availableActions(toSnapshot(row, tasks), actor, unit));
    if (action === null) return null;
    try {
      const done = await actOnCase(deps, actor, caseId, {
        action,
        expected_version: row.version,
        reason: description,
        ...(action === 'feedback' ? { note: description, evidence: media ? [media] : [] } : {}),
      });
      return { action, version: done.version };
    } catch (error) {
      if (isDomainError(error) && error.code === 'case.version_conflict') continue;
      throw error;
    }
  }
  return null;
}
