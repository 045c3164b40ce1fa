import type { Clock } from '../core/clock.ts';
import type { Store } from '../db/database.ts';
import { deliverOutbox, type DeliverReport } from './deliver-outbox.ts';
import { linkSigner } from './link-secret.ts';
import { makeLinkBuilder } from './links.ts';
import type { MailConfig } from './mail-config.ts';
import { makeMailer } from './mailer.ts';
import { purgeSentMail } from './purge-outbox.ts';
import { sendDigests } from './send-digests.ts';
import { sendQueueDigests } from './send-queue-digests.ts';

export interface MailRound extends DeliverReport {
  digests: number;
  queue_digests: number;
  /** Sent mail past its retention, deleted (at most one purge an hour). */
  purged: number;
}

const PURGE_EVERY_MS = 3_600_000;

export interface MailLoop {
  /** Runs one round now (digests due, then the outbox), unless one is running. */
  runOnce(): Promise<MailRound | null>;
  /** Stops the timer, waits for a round in flight, closes the transport. */
  stop(): Promise<void>;
}

/**
 * The server's mail work: every `intervalSeconds`, the digests due and then the outbox. All state
 * is in the database (outbox rows, digest timers); the interval only decides how often to look,
 * and a restart loses nothing. Rounds never overlap within a process; across processes the
 * claims (SKIP LOCKED, conditional updates) keep them apart.
 */
export function startMailLoop(
  deps: { store: Store; clock: Clock; config: MailConfig },
  onRound: (round: MailRound) => void,
  onError: (error: unknown) => void,
): MailLoop {
  const { store, clock, config } = deps;
  const mailer = makeMailer({ smtpUrl: config.smtpUrl, emlDir: config.emlDir, from: config.from });
  let running: Promise<MailRound | null> | null = null;
  // Only how often to look: which rows go is decided by their sent_at.
  let lastPurge = Number.NEGATIVE_INFINITY;
  const round = async (): Promise<MailRound> => {
    const digests = await sendDigests({ store, clock });
    const queue = await sendQueueDigests({ store, clock });
    const links = makeLinkBuilder(config.publicUrl, await linkSigner(store.db));
    const delivered = await deliverOutbox({ store, clock, mailer, links });
    let purged = 0;
    const now = clock.now().getTime();
    if (config.keepSentDays > 0 && now - lastPurge >= PURGE_EVERY_MS) {
      lastPurge = now;
      purged = await purgeSentMail({ db: store.db, clock }, { keepDays: config.keepSentDays });
    }
    return { ...delivered, digests: digests.digests, queue_digests: queue.digests, purged };
  };
  const runOnce = () => {
    if (running) return Promise.resolve(null);
    running = round()
      .then((r) => {
        onRound(r);
        return r;
      })
      .catch((error: unknown) => {
        onError(error);
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer =
    config.intervalSeconds > 0 ? setInterval(() => void runOnce(), config.intervalSeconds * 1000) : undefined;
  timer?.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
      mailer.close();
    },
  };
}
