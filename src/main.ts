import { openKeyring } from './db/keyring.ts';
import { checkKeys } from './personal/check-keys.ts';
import { readFileSync } from 'node:fs';
import { loadConfig } from './config.ts';
import { systemClock } from './core/clock.ts';
import { acquireServerLock, prepareDataDir } from './db/data-dir.ts';
import { openStore } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { isEmptyDatabase, seedDemo } from './demo/seed-demo.ts';
import { DEMO_SEEDING, demoProgressLine, demoSeededLines } from './i18n/startup.ts';
import { buildApp } from './http/app.ts';
import { makeAppDeps } from './http/deps.ts';
import { sweepCases } from './cases/sweep-cases.ts';
import { oneLineReason } from './startup.ts';
import { join } from 'node:path';
import { DiskBlobStorage } from './attachments/disk-storage.ts';
import { pruneUnclaimedAttachments } from './attachments/prune-attachments.ts';
import { purgeSandboxRequests } from './open311/purge-sandbox-requests.ts';
import { loadMailConfig } from './mail/mail-config.ts';
import { startMailLoop } from './mail/mail-loop.ts';
import { anchorAudit } from './audit/anchor-audit.ts';

const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

async function main(): Promise<void> {
  const config = loadConfig();
  const dataDir = prepareDataDir({ dir: config.dataDir, minFreeMb: config.minFreeMb });
  const lock = acquireServerLock(dataDir);
  const keyring = openKeyring({ keys: config.personalKeys, index: config.personalIndexKey, dataDir });
  const store = openStore({ databaseUrl: config.databaseUrl, dataDir, keyring });
  const log = (message: string) => process.stdout.write(`${message}\n`);
  try {
    const { applied } = await migrateToLatest(store);
    if (applied.length > 0) log(`migrations applied: ${applied.join(', ')}`);
    // The keys are those the data was sealed with (e.g. a second server has the first one's).
    await checkKeys(store, systemClock.now().toISOString());
    if (config.demo && (await isEmptyDatabase(store))) {
      log(`${DEMO_SEEDING.zh}\n${DEMO_SEEDING.en}`);
      const report = await seedDemo(
        { store, clock: systemClock },
        {
          password: config.demoPassword,
          cases: config.demoCases,
          onProgress: (progress) => log(`  ${demoProgressLine(progress)}`),
        },
      );
      log(demoSeededLines(report, config.demoPassword === 'demo' ? 'demo' : 'SHANZHI_DEMO_PASSWORD'));
      for (const a of report.accounts)
        log(`  ${a.username.padEnd(18)} ${a.display_name} (${a.roles.join(', ')})`);
    }
  } catch (error) {
    await store.close();
    lock.release();
    throw error;
  }
  const deps = {
    ...makeAppDeps(store, systemClock),
    duplicates: { meters: config.duplicateMeters, hours: config.duplicateHours },
    // Attachments stay files under the data directory, whichever database holds the rows.
    storage: await DiskBlobStorage.open(join(dataDir, 'attachments')),
    attachmentLimits: { maxBytes: Math.round(config.attachmentMaxMb * 1024 * 1024) },
  };
  await deps.locator.current();
  const app = await buildApp(deps, {
    logLevel: config.logLevel,
    version,
    rateLimits: { perAccount: config.rateLimitPerMinute, perAddress: config.rateLimitAddressPerMinute },
    trustProxy: config.trustProxy,
  });
  // Count deltas a previous run left unfolded (docs/decisions/0005-count-deltas.md).
  await deps.counts.fold();

  // The sweeper's state is in the database (deadline columns, notices, versions): this interval only
  // decides how often to look, and a restart loses nothing.
  let sweeping = false;
  const sweeper =
    config.sweepSeconds > 0
      ? setInterval(() => {
          if (sweeping) return;
          sweeping = true;
          sweepCases(
            { store, clock: systemClock, rules: deps.rules, counts: deps.counts },
            { overdueMs: config.overdueHours * 3_600_000 },
          )
            .then(async (r) => {
              if (r.notices > 0 || r.escalated > 0) app.log.info(r, 'sweep');
              // Deltas below the fold threshold do not wait for more writes.
              await deps.counts.fold();
            })
            .catch((error: unknown) => app.log.error({ err: error }, 'sweep failed'))
            .finally(() => {
              sweeping = false;
            });
        }, config.sweepSeconds * 1000)
      : undefined;
  sweeper?.unref();
  // Hourly: uploads no report or step claimed within a day go, with their files
  // (docs/attachments.md), and so do the Open311 test endpoint's requests of more than a day.
  const pruner = setInterval(() => {
    pruneUnclaimedAttachments({ db: store.db, storage: deps.storage, clock: systemClock })
      .then((r) => {
        if (r.removed > 0) app.log.info(r, 'unclaimed attachments removed');
      })
      .catch((error: unknown) => app.log.error({ err: error }, 'attachment pruning failed'));
    // Requests to the Open311 test endpoint are kept for a day (docs/open311.md).
    purgeSandboxRequests({ db: store.db, clock: systemClock })
      .then((r) => {
        if (r.removed > 0) app.log.info(r, 'open311 test requests purged');
      })
      .catch((error: unknown) => app.log.error({ err: error }, 'open311 test purge failed'));
    // The days that ended since the last anchor (docs/audit.md), to audit_anchors and the file.
    anchorAudit({ store, clock: systemClock }, { file: config.auditAnchorFile })
      .then((r) => {
        if (r.anchored.length > 0) app.log.info({ days: r.anchored.length }, 'audit anchored');
      })
      .catch((error: unknown) => app.log.error({ err: error }, 'audit anchoring failed'));
  }, 3_600_000);
  pruner.unref();
  // Mail (docs/mail.md): digests and the outbox, sent after commit through SMTP_URL or written to
  // <data dir>/mail as .eml files. Logs carry counts only, never an address.
  const mail = startMailLoop(
    { store, clock: systemClock, config: loadMailConfig(dataDir) },
    (r) => {
      if (r.sent + r.retried + r.failed + r.unmarked + r.digests + r.queue_digests + r.purged > 0)
        app.log.info(r, 'mail');
    },
    (error) => app.log.error({ err: error }, 'mail round failed'),
  );

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    clearInterval(sweeper);
    clearInterval(pruner);
    try {
      // Fastify stops accepting connections and waits for requests in flight before resolving.
      await app.close();
      await deps.counts.fold().catch((error: unknown) => app.log.error({ err: error }, 'count fold failed'));
      // The mail loop finishes the round in flight before the store closes.
      await mail.stop();
      await store.close();
    } finally {
      lock.release();
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  log(`善治 Shanzhi ${version} listening on http://localhost:${config.port} (store: ${store.location})`);
}

main().catch((error: unknown) => {
  process.stderr.write(`shanzhi: cannot start: ${oneLineReason(error)}\n`);
  process.exit(1);
});
