/**
 * Who is signed in, for pages and server components (route handlers use lib/http.ts).
 */
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { auth, signedInUser, type SignedInUser } from './auth';

export type { SignedInUser } from './auth';

/** Looked up once per request: the header and the page both ask. */
export const currentUser = cache(async (): Promise<SignedInUser | null> => {
  const session = await auth().api.getSession({ headers: await headers() });
  return session ? signedInUser(session.user) : null;
});

/** The signed-in user, or a trip to the sign-in page that comes back to `returnTo` afterwards. */
export async function requireUser(returnTo: string): Promise<SignedInUser> {
  const user = await currentUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(returnTo)}`);
  return user;
}
