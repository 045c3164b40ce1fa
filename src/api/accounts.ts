import { z } from 'zod';
import { ACTIONS } from '../core/access/permissions.ts';
import { ROLES } from '../core/access/roles.ts';
import { RegionCodeInput, RegionLevel } from './common.ts';

export const Role = z.enum(ROLES);
export const Action = z.enum(ACTIONS);

export const LogInBody = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(1024),
});

export const Scope = z.object({
  code: z.string().length(12),
  level: RegionLevel,
  name: z.string().optional(),
});

export const SessionUser = z
  .object({
    username: z.string(),
    display_name: z.string(),
    roles: z.array(Role),
    scope: Scope,
    department_id: z.string().nullable(),
  })
  .meta({ id: 'SessionUser' });

export const LogInResponse = z.object({
  token: z.string().meta({ description: 'Send as Authorization: Bearer <token>' }),
  expires_at: z.string().meta({ description: 'ISO 8601; sessions last 12 hours from log-in' }),
  user: SessionUser,
});

const CsrfToken = z
  .string()
  .meta({ description: 'Send as X-CSRF-Token with every change made through the session cookie' });

export const CookieLogInResponse = z.object({
  expires_at: LogInResponse.shape.expires_at,
  user: SessionUser,
  csrf_token: CsrfToken,
});

export const LogOutResponse = z.object({ logged_out: z.literal(true) });

export const MeResponse = z.object({
  user: SessionUser,
  allowed_actions: z
    .array(Action)
    .meta({ description: 'What the caller may do in its own scope (the console shows only these)' }),
  /** Only when the caller is signed in by the session cookie (the console after a reload). */
  csrf_token: CsrfToken.optional(),
});

export const User = z
  .object({
    id: z.string(),
    username: z.string(),
    display_name: z.string(),
    roles: z.array(Role),
    scope: Scope,
    department_id: z.string().nullable(),
    disabled: z.boolean(),
    locked_until: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: 'User' });

export const UserListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export const UserListResponse = z.object({ items: z.array(User) });

export const CreateUserBody = z.object({
  username: z.string().trim().min(2).max(64),
  display_name: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(1024),
  roles: z.array(Role).min(1),
  scope: RegionCodeInput.meta({ description: 'The region subtree the user works in' }),
  department_id: z.string().min(1).max(100).nullable().optional(),
});
