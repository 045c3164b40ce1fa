import { TRANSITIONS, isActionName } from '../../src/core/workflow/transitions.ts';
import type { Stage } from '../../src/core/workflow/stages.ts';
import type { Db } from '../../src/db/schema.ts';

/** Where the transition table lets an action lead from a stage (its effects may choose among these). */
function targets(action: string, from: Stage, beforePark: Stage | null): Stage[] {
  if (!isActionName(action)) return action === 'note' ? [from] : [];
  const rule = TRANSITIONS[action];
  if (!(rule.from as readonly Stage[]).includes(from)) return [];
  const to = rule.to === 'same' ? from : rule.to === 'previous' ? (beforePark ?? 'registered') : rule.to;
  // The effects that pick another stage than the table's: a second return goes to arbitration, a
  // co-handler's feedback keeps the stage, "not fixed" ends as closed_unfixed.
  if (action === 'return') return [to, 'arbitration'];
  if (action === 'feedback') return [to, from];
  if (action === 'rate') return [to, 'closed_unfixed'];
  return [to];
}

/**
 * Replays every case's timeline through the transition table: the first event is the report,
 * versions run 1..n without gaps, each event's stage change is one the table allows from the stage
 * before it, and the last event's stage is the case's stored stage. Returns the problems found.
 */
export async function replayTimelines(db: Db): Promise<string[]> {
  const cases = await db.selectFrom('cases').select(['id', 'stage', 'version']).execute();
  const events = await db
    .selectFrom('case_events')
    .select(['case_id', 'version', 'action', 'from_stage', 'to_stage'])
    .orderBy('case_id')
    .orderBy('version')
    .execute();
  const byCase = new Map<string, typeof events>();
  for (const e of events) {
    let list = byCase.get(e.case_id);
    if (!list) byCase.set(e.case_id, (list = []));
    list.push(e);
  }
  const problems: string[] = [];
  for (const c of cases) {
    const mine = byCase.get(c.id) ?? [];
    if (mine.length !== c.version) problems.push(`${c.id}: ${mine.length} events for version ${c.version}`);
    let stage: Stage | null = null;
    let beforePark: Stage | null = null;
    for (const [i, e] of mine.entries()) {
      const at = `${c.id} v${e.version} ${e.action}`;
      if (e.version !== i + 1) problems.push(`${at}: version gap`);
      if (i === 0) {
        if (e.action !== 'report' || e.from_stage !== null || e.to_stage !== 'reported')
          problems.push(`${at}: the first event is not the report`);
      } else if (e.from_stage !== stage) {
        problems.push(`${at}: from ${e.from_stage}, but the case was ${stage}`);
      } else if (!targets(e.action, stage!, beforePark).includes(e.to_stage as Stage)) {
        problems.push(`${at}: ${stage} → ${e.to_stage} is not in the transition table`);
      }
      if (e.to_stage === 'parked') beforePark = stage;
      stage = e.to_stage as Stage;
    }
    if (stage !== c.stage) problems.push(`${c.id}: timeline ends at ${stage}, stored ${c.stage}`);
  }
  return problems;
}
