import type { Role } from '../core/access/roles.ts';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../db/schema.ts';
import { createUser } from './create-user.ts';
import { inTransaction } from '../db/transaction.ts';

export interface DemoAccount {
  username: string;
  display_name: string;
  roles: Role[];
  /** 12-digit region code of the account's scope. */
  scope: string;
  department_id: string | null;
}

/** The demo accounts of docs/CONTRACT.md, all in or above 杭州市西湖区 (330106). */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    username: 'admin',
    display_name: '系统管理员',
    roles: ['admin'],
    scope: '330000000000',
    department_id: null,
  },
  {
    username: 'province.center',
    display_name: '浙江省指挥中心',
    roles: ['province_centre'],
    scope: '330000000000',
    department_id: null,
  },
  {
    username: 'county.center',
    display_name: '西湖区指挥中心',
    roles: ['county_centre'],
    scope: '330106000000',
    department_id: null,
  },
  {
    username: 'township.handler',
    display_name: '北山街道处置员',
    roles: ['township_handler'],
    scope: '330106002000',
    department_id: null,
  },
  {
    username: 'community.handler',
    display_name: '上保社区处置员',
    roles: ['community_handler'],
    scope: '330106002051',
    department_id: null,
  },
  {
    username: 'grid.worker',
    display_name: '上保社区网格员',
    roles: ['grid_worker'],
    scope: '330106002051',
    department_id: null,
  },
  {
    username: 'dept.urban',
    display_name: '西湖区城管处置员',
    roles: ['department_handler'],
    scope: '330106000000',
    department_id: 'dept-330106-urban',
  },
  {
    username: 'dept.market',
    display_name: '西湖区市场监管处置员',
    roles: ['department_handler'],
    scope: '330106000000',
    department_id: 'dept-330106-market',
  },
  {
    username: 'resident',
    display_name: '居民',
    roles: ['resident'],
    scope: '330000000000',
    department_id: null,
  },
];

/**
 * Creates the demo accounts that do not exist yet, all with the given password (`demo` unless
 * SHANZHI_DEMO_PASSWORD says otherwise), and answers the full list for printing at start. Needs
 * the regions of 西湖区 and its ancestors; only ever run on a demo database.
 */
export async function seedDemoAccounts(
  deps: { db: Db; clock: Clock },
  options: { password: string },
): Promise<DemoAccount[]> {
  const existing = new Set(
    (await deps.db.selectFrom('users').select('username').execute()).map((r) => r.username),
  );
  await inTransaction(deps.db, async (tx) => {
    for (const account of DEMO_ACCOUNTS) {
      if (existing.has(account.username)) continue;
      await createUser(
        { db: tx, clock: deps.clock, actor: null },
        { ...account, password: options.password },
        { allowShortPassword: true },
      );
    }
  });
  return DEMO_ACCOUNTS.map((a) => ({ ...a, roles: [...a.roles] }));
}
