/**
 * Who is signed in, for pages and server components (route handlers use lib/http.ts).
 */
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { auth } from './auth';
import type { Actor } from './authz';
import { db } from './db';

export interface SignedInUser extends Actor {
  name: string;
  email: string;
}

export async function currentUser(): Promise<SignedInUser | null> {
  const session = await auth().api.getSession({ headers: await headers() });
  if (!session) return null;
  const user = await db.user.findUnique({ where: { id: session.user.id } });
  return user ? { userId: user.id, siteRole: user.role, name: user.name, email: user.email } : null;
}

/** The signed-in user, or a trip to the sign-in page that comes back to `returnTo` afterwards. */
export async function requireUser(returnTo: string): Promise<SignedInUser> {
  const user = await currentUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(returnTo)}`);
  return user;
}
