/**
 * Accounts through better-auth: email and password, database sessions in PostgreSQL, real
 * password hashing. Signing up with a join code enrols the new user in that course.
 */
import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { z } from 'zod';
import type { Actor } from './authz';
import { db } from './db';
import { enrolWithJoinCode, findCourseByJoinCode } from './courses';

export interface SignedInUser extends Actor {
  name: string;
  email: string;
}

/** The site's own address: sessions are only accepted from pages served there. */
export function siteUrl(): string {
  return process.env.BETTER_AUTH_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
}

const joinCodeSchema = z.object({ joinCode: z.string().trim().max(64).optional() });

const sessionUserSchema = z.object({ id: z.string(), name: z.string(), email: z.string(), role: z.enum(['user', 'admin']) });

/**
 * The user a session belongs to, from the row better-auth read with it (it reads the user on every
 * lookup, so the role is the current one): no second query for who is asking.
 */
export function signedInUser(user: unknown): SignedInUser {
  const { id, name, email, role } = sessionUserSchema.parse(user);
  return { userId: id, siteRole: role, name, email };
}

function createAuth() {
  return betterAuth({
    baseURL: siteUrl(),
    basePath: '/api/auth',
    database: prismaAdapter(db, { provider: 'postgresql' }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, autoSignIn: true },
    user: { additionalFields: { role: { type: 'string', input: false, defaultValue: 'user' } } },
    // Counted in process memory, per client address: slows password guessing at each web process.
    rateLimit: {
      enabled: process.env.NODE_ENV === 'production',
      window: 60,
      max: 120,
      customRules: { '/sign-in/email': { window: 60, max: 20 }, '/sign-up/email': { window: 60, max: 20 } },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== '/sign-up/email') return;
        const { joinCode } = joinCodeSchema.parse(ctx.body ?? {});
        if (joinCode && !(await findCourseByJoinCode(joinCode))) {
          throw new APIError('BAD_REQUEST', { message: `No course has the join code '${joinCode}'.` });
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== '/sign-up/email') return;
        const { joinCode } = joinCodeSchema.parse(ctx.body ?? {});
        const userId = ctx.context.newSession?.user.id;
        if (joinCode && userId) await enrolWithJoinCode(userId, joinCode);
      }),
    },
  });
}

const holder = globalThis as typeof globalThis & { rendezvousAuth?: ReturnType<typeof createAuth> };

/** The process's better-auth instance, made on first use so that building the app needs no secret. */
export function auth(): ReturnType<typeof createAuth> {
  holder.rendezvousAuth ??= createAuth();
  return holder.rendezvousAuth;
}
