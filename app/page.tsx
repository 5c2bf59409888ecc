import Link from 'next/link';
import { redirect } from 'next/navigation';
import { currentUser } from '@/lib/session';

/** Signed-in users go straight to their courses; everyone else learns what this is. */
export default async function Home() {
  if (await currentUser()) redirect('/courses');
  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-6 px-4 py-16">
      <h1 className="text-3xl font-semibold">Rendezvous</h1>
      <p className="text-lg text-zinc-700 dark:text-zinc-300">
        Interprocess-communication exercises — pipes, signals, message passing, shared memory, sockets — graded on a deterministic,
        replayable simulated kernel. When your program deadlocks or races, you see the interleaving that breaks it.
      </p>
      <p className="flex gap-4">
        <Link href="/login" className="rounded bg-indigo-700 px-4 py-2 font-medium text-white hover:bg-indigo-800">Sign in</Link>
        <Link href="/signup" className="rounded border border-zinc-300 px-4 py-2 font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">Create account</Link>
      </p>
    </main>
  );
}
