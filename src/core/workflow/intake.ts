import type { Actor, Role } from '../access/roles.ts';
import type { Channel } from './stages.ts';

/**
 * Rules of intake (受理) that do not need a database: who may report through which channel, what
 * the first event says about who reported, and the bounds of a report's texts. The Zod schema of
 * `POST /api/v1/cases` and the use case both read the bounds from here.
 */
export const INTAKE_LIMITS = {
  titleMax: 120,
  descriptionMax: 4000,
  addressMax: 500,
  photosMax: 9,
  idempotencyKeyMax: 128,
} as const;

/** Channels a resident, signed in or not, may report through. The rest are staff work. */
export const PUBLIC_CHANNELS: readonly Channel[] = ['web', 'open311'];

export function isPublicChannel(channel: Channel): boolean {
  return PUBLIC_CHANNELS.includes(channel);
}

/** Staff: anyone acting for the platform rather than as a resident. */
export function isStaff(actor: Actor | null): boolean {
  return actor !== null && actor.roles.some((r) => r !== 'resident');
}

/** Who the first event names. Anonymous reports name nobody, whoever was signed in. */
export interface IntakeActor {
  user_id: string | null;
  username: string;
  /** A role label for the timeline; `hotline_operator` is a duty, not a permission role. */
  role: Role | 'hotline_operator';
}

export const ANONYMOUS_ACTOR: IntakeActor = { user_id: null, username: 'anonymous', role: 'resident' };

export function intakeActor(actor: Actor | null, channel: Channel, anonymous: boolean): IntakeActor {
  if (actor === null || !isStaff(actor)) {
    return actor && !anonymous
      ? { user_id: actor.user_id, username: actor.username, role: 'resident' }
      : ANONYMOUS_ACTOR;
  }
  const staffRole = actor.roles.find((r) => r !== 'resident') ?? 'resident';
  const role =
    channel === 'hotline'
      ? 'hotline_operator'
      : channel === 'patrol' && actor.roles.includes('grid_worker')
        ? 'grid_worker'
        : staffRole;
  return { user_id: actor.user_id, username: actor.username, role };
}
