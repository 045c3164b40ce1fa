import { systemClock } from '../../core/clock.ts';
import { DomainError } from '../../core/errors.ts';
import { API_KEY_RIGHTS, type ApiKeyRight } from '../../core/open311/api-key-rights.ts';
import { changeApiKey } from '../../open311/change-api-key.ts';
import { issueApiKey } from '../../open311/issue-api-key.ts';
import { listApiKeysWithin } from '../../open311/list-api-keys.ts';
import { getRegion } from '../../regions/find-regions.ts';
import { SYSTEM, type Command } from '../command.ts';

function rights(text: unknown): ApiKeyRight[] {
  const list = String(text ?? 'requests')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const bad = list.filter((r) => !(API_KEY_RIGHTS as readonly string[]).includes(r));
  if (list.length === 0 || bad.length > 0) {
    throw new DomainError('open311.parameter_invalid', {
      parameter: 'rights',
      rule: API_KEY_RIGHTS.join(','),
    });
  }
  return list as ApiKeyRight[];
}

function rate(text: unknown): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new DomainError('open311.parameter_invalid', { parameter: 'rate', rule: 'a positive integer' });
  }
  return n;
}

/** Open311 API keys from the command line, as the system (audited as such); docs/open311.md. */
export const OPEN311_COMMANDS: Record<string, Command> = {
  'open311 issue-key': {
    usage:
      'shanzhi open311 issue-key --label <name> --region <code> [--rights requests,updates] [--rate <per minute>] [--user <username>] [--token]',
    summary: '签发 Open311 API 密钥（密钥打印到标准输出，仅此一次）/ Issue an Open311 API key (printed once)',
    options: {
      label: { type: 'string' },
      region: { type: 'string' },
      rights: { type: 'string' },
      rate: { type: 'string' },
      user: { type: 'string' },
      token: { type: 'boolean' },
    },
    async run(store, values) {
      if (!values.label || !values.region) {
        throw new DomainError('open311.parameter_required', { parameter: '--label and --region' });
      }
      const issued = await issueApiKey(
        { db: store.db, clock: systemClock, actor: SYSTEM },
        {
          label: String(values.label),
          region: String(values.region),
          rights: rights(values.rights),
          rate_per_minute: rate(values.rate ?? '60'),
          username: values.user === undefined ? undefined : String(values.user),
          answer_with_token: values.token === true,
        },
      );
      process.stdout.write(`${issued.key}\n`);
      return `issued key ${issued.id} (${issued.rights.join(', ')}, ${issued.rate_per_minute}/min, region ${issued.region})`;
    },
  },
  'open311 keys': {
    usage: 'shanzhi open311 keys [--region <code>]',
    summary: '列出 API 密钥（JSON，不含密钥本身）/ List API keys as JSON (never the keys themselves)',
    options: { region: { type: 'string' } },
    async run(store, values) {
      const region = await getRegion(store.db, String(values.region ?? '33'));
      const keys = await listApiKeysWithin(store.db, region);
      process.stdout.write(`${JSON.stringify(keys, null, 2)}\n`);
      return '';
    },
  },
  'open311 set-rate': {
    usage: 'shanzhi open311 set-rate <key id> <requests per minute>',
    summary: '修改 API 密钥的每分钟限额 / Change a key’s rate limit',
    options: {},
    positionals: 2,
    async run(store, _values, [id, perMinute]) {
      const key = await changeApiKey({ db: store.db, clock: systemClock, actor: SYSTEM }, id!, {
        rate_per_minute: rate(perMinute),
      });
      return `key ${key.id}: ${key.rate_per_minute}/min`;
    },
  },
  'open311 revoke-key': {
    usage: 'shanzhi open311 revoke-key <key id>',
    summary: '吊销 API 密钥（不可恢复）/ Revoke an API key for good',
    options: {},
    positionals: 1,
    async run(store, _values, [id]) {
      const key = await changeApiKey({ db: store.db, clock: systemClock, actor: SYSTEM }, id!, {
        revoke: true,
      });
      return `key ${key.id} revoked at ${key.revoked_at}`;
    },
  },
};
