'use client';

/**
 * What a page shows when it could not be rendered: most often PostgreSQL or Redis is down for a
 * moment (the API answers 503 then), and the page works again by itself once it is back.
 */
export default function ServiceUnavailable({ retry }: { retry: () => void }) {
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-4 px-4 py-8">
      <h1 className="text-2xl font-semibold">This page could not be loaded</h1>
      <p role="alert">A service Rendezvous depends on is unavailable; try again in a minute. Submissions already made are kept.</p>
      <button type="button" onClick={() => retry()} className="self-start rounded bg-indigo-700 px-4 py-2 font-medium text-white hover:bg-indigo-800">
        Try again
      </button>
    </main>
  );
}
