import { stageLabel } from '../i18n/case-labels.ts';
import type { DbOrTx } from '../db/schema.ts';
import { enqueueMail } from './enqueue.ts';
import { centreAddresses, unitAddresses } from './staff-recipients.ts';

/**
 * Staff notices: assignment, supervision (督办), whistle (吹哨) and the 50/80/100 % deadline
 * notices. Each is written to the outbox in the transaction of the change that causes it, so a
 * rolled-back step sends nothing and a committed one cannot lose its mail.
 */
interface CaseFacts {
  case_id: string;
  reference: string;
  at: string;
}

const view = (c: CaseFacts) => ({ audience: 'staff' as const, case_id: c.case_id, reference: c.reference });

async function send(
  tx: DbOrTx,
  addresses: Iterable<string>,
  make: (to: string) => Parameters<typeof enqueueMail>[1],
  at: string,
): Promise<number> {
  const unique = new Set(addresses);
  for (const to of unique) await enqueueMail(tx, make(to), at);
  return unique.size;
}

/** A case dispatched (or arbitrated) to units: each unit's members hear of it once. */
export async function noticeAssignment(
  tx: DbOrTx,
  c: CaseFacts,
  tasks: ReadonlyArray<{ department_id: string; role: 'lead' | 'co'; deadline: string | null }>,
): Promise<number> {
  const members = await unitAddresses(
    tx,
    tasks.map((t) => t.department_id),
  );
  let sent = 0;
  for (const task of tasks) {
    sent += await send(
      tx,
      members.get(task.department_id) ?? [],
      (to) => ({
        to,
        content: {
          template: 'staff_assignment',
          reference: c.reference,
          role: task.role,
          deadline: task.deadline,
        },
        links: { view: view(c) },
      }),
      c.at,
    );
  }
  return sent;
}

/** Departments whistled to report in (吹哨报到). */
export async function noticeWhistle(
  tx: DbOrTx,
  c: CaseFacts,
  summoned: ReadonlyArray<{ department_id: string; report_in_deadline: string | null }>,
): Promise<number> {
  const members = await unitAddresses(
    tx,
    summoned.map((t) => t.department_id),
  );
  let sent = 0;
  for (const task of summoned) {
    sent += await send(
      tx,
      members.get(task.department_id) ?? [],
      (to) => ({
        to,
        content: {
          template: 'staff_whistle',
          reference: c.reference,
          report_in_deadline: task.report_in_deadline,
        },
        links: { view: view(c) },
      }),
      c.at,
    );
  }
  return sent;
}

/** 督办: the owner unit hears that its case is supervised; without an owner, the county centre. */
export async function noticeSupervision(
  tx: DbOrTx,
  c: CaseFacts & { owner_department_id: string | null; county_code: string; reason: string | null },
): Promise<number> {
  const addresses = c.owner_department_id
    ? ((await unitAddresses(tx, [c.owner_department_id])).get(c.owner_department_id) ?? [])
    : await centreAddresses(tx, c.county_code);
  return send(
    tx,
    addresses,
    (to) => ({
      to,
      content: { template: 'staff_supervision', reference: c.reference, reason: c.reason },
      links: { view: view(c) },
    }),
    c.at,
  );
}

/**
 * The sweeper's 50/80/100 % notices, written in the sweeper's transaction right after the notice
 * rows: that transaction is the one whose conditional update won (notices_sent as read), so a
 * second sweeper, concurrent or later, writes neither the notices nor their mail.
 */
export async function noticeDeadlines(
  tx: DbOrTx,
  notice: {
    case_id: string;
    stage: string;
    thresholds: readonly number[];
    stage_deadline: string;
    at: string;
  },
): Promise<number> {
  if (notice.thresholds.length === 0) return 0;
  const row = await tx
    .selectFrom('cases')
    .select(['reference', 'owner_department_id', 'county_code'])
    .where('id', '=', notice.case_id)
    .executeTakeFirstOrThrow();
  const addresses = row.owner_department_id
    ? ((await unitAddresses(tx, [row.owner_department_id])).get(row.owner_department_id) ?? [])
    : await centreAddresses(tx, row.county_code);
  const c = { case_id: notice.case_id, reference: row.reference, at: notice.at };
  let sent = 0;
  for (const threshold of notice.thresholds) {
    sent += await send(
      tx,
      addresses,
      (to) => ({
        to,
        content: {
          template: 'staff_deadline',
          reference: row.reference,
          stage: stageLabel(notice.stage),
          threshold,
          deadline: notice.stage_deadline,
        },
        links: { view: view(c) },
      }),
      notice.at,
    );
  }
  return sent;
}
