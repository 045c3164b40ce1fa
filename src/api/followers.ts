import { z } from 'zod';
import { RADIUS_LIMITS } from '../core/mail/area.ts';
import { RegionCodeInput } from './common.ts';

const Email = z
  .string()
  .min(3)
  .max(254)
  .meta({ description: 'E-mail address (double opt-in: a confirmation mail goes out)' });
const Digest = z.boolean().optional().meta({ description: 'One digest a day instead of one mail per event' });

export const FollowParams = z.object({
  id: z.string().min(1).max(64).meta({ description: 'Case id or reference number' }),
});

export const FollowBody = z
  .object({
    email: Email.optional().meta({
      description: 'Follow by e-mail (anyone, double opt-in); without it the signed-in account follows',
    }),
    digest: Digest,
  })
  .nullish();

export const FollowView = z
  .object({
    case_id: z.string(),
    reference: z.string(),
    following: z.boolean(),
    digest: z.boolean(),
  })
  .meta({ id: 'Follow' });

/** The answer to a request by e-mail: the same whether the address already followed or not. */
export const Requested = z.object({ requested: z.literal(true) }).meta({
  id: 'SubscriptionRequested',
  description: 'A confirmation mail goes out unless the address already subscribes',
});

export const FollowResponse = z.union([FollowView, Requested]);

export const AreaBody = z
  .object({
    email: Email.optional().meta({
      description: 'Subscribe by e-mail (double opt-in); without it, the signed-in account',
    }),
    region: RegionCodeInput.optional().meta({
      description: 'A county, township or community (its whole subtree)',
    }),
    center: z
      .object({ lon: z.number(), lat: z.number() })
      .optional()
      .meta({ description: 'Centre of a circle' }),
    radius_m: z
      .number()
      .int()
      .min(RADIUS_LIMITS.min)
      .max(RADIUS_LIMITS.max)
      .optional()
      .meta({ description: 'Radius of the circle in metres' }),
    digest: Digest,
  })
  .meta({ description: 'Either region, or center and radius_m' });

export const AreaSubscriptionView = z
  .object({
    id: z.string(),
    region: z.object({ code: z.string(), name: z.string(), level: z.string() }).nullable(),
    circle: z.object({ lon: z.number(), lat: z.number(), radius_m: z.number() }).nullable(),
    digest: z.boolean(),
    active: z.boolean(),
  })
  .meta({ id: 'AreaSubscription' });

export const AreaResponse = z.union([AreaSubscriptionView, Requested]);

export const SubscriptionParams = z.object({ id: z.string().min(1).max(64) });

export const MySubscriptions = z
  .object({
    cases: z.array(
      z.object({ case_id: z.string(), reference: z.string(), digest: z.boolean(), since: z.string() }),
    ),
    areas: z.array(AreaSubscriptionView),
  })
  .meta({ id: 'MySubscriptions' });

export const TokenBody = z.object({
  token: z.string().min(1).max(2048).meta({ description: 'The token of the link in the mail' }),
});

export const Confirmed = z
  .object({ confirmed: z.enum(['case', 'area', 'email']), reference: z.string().optional() })
  .meta({ id: 'SubscriptionConfirmed' });

export const Unsubscribed = z.object({ unsubscribed: z.enum(['case', 'area']) }).meta({ id: 'Unsubscribed' });

export const MailSettingsBody = z.object({
  email: z.string().max(254).nullable().optional().meta({
    description: 'New address (used once the mailed link is opened); null removes it',
  }),
  queue_digest: z.boolean().optional().meta({ description: 'Staff: a daily digest of their queue' }),
});

export const MailSettings = z
  .object({ email: z.string().nullable(), confirmation_sent: z.boolean(), queue_digest: z.boolean() })
  .meta({ id: 'MailSettings' });

export const Ok = z.object({ ok: z.literal(true) });
