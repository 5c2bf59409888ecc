import Link from 'next/link';
import { currentUser } from '@/lib/session';
import { teachesAnything } from '@/lib/staff';
import SignOutButton from './SignOutButton';

/** The bar on every page: where you are, who you are, and the way out. */
export default async function SiteHeader() {
  const user = await currentUser();
  const teaches = user !== null && (await teachesAnything(user));
  return (
    <header className="border-b border-zinc-200 dark:border-zinc-800">
      <nav aria-label="Site" className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href={user ? '/courses' : '/'} className="font-semibold tracking-tight text-indigo-700 dark:text-indigo-300">
          Rendezvous
        </Link>
        {user && (
          <>
            <Link href="/courses" className="hover:underline">Courses</Link>
            {teaches && <Link href="/instructor" className="hover:underline">Teaching</Link>}
            <Link href="/settings/tokens" className="hover:underline">API tokens</Link>
            <span className="ml-auto text-sm text-zinc-600 dark:text-zinc-400">{user.name}</span>
            <SignOutButton />
          </>
        )}
        {!user && (
          <span className="ml-auto flex gap-4">
            <Link href="/login" className="hover:underline">Sign in</Link>
            <Link href="/signup" className="hover:underline">Create account</Link>
          </span>
        )}
      </nav>
    </header>
  );
}
