'use client';

import ServiceUnavailable from '@/components/ServiceUnavailable';

/** A page that failed to render, below the site's header. */
export default function PageError({ retry }: { retry: () => void }) {
  return <ServiceUnavailable retry={retry} />;
}
