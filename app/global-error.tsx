'use client';

import ServiceUnavailable from '@/components/ServiceUnavailable';
import './globals.css';

/** The site's frame itself failed (its header asks the database who is signed in): the whole document. */
export default function GlobalError({ retry }: { retry: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen antialiased">
        <title>Unavailable · Rendezvous</title>
        <ServiceUnavailable retry={retry} />
      </body>
    </html>
  );
}
