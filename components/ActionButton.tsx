'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { postJson, SECONDARY_BUTTON } from './instructor/post-json';

/** A button that asks the API for one change (release results, a new join code), then shows the page anew. */
export default function ActionButton({ label, url, done }: { label: string; url: string; done: string }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const act = async () => {
    setBusy(true);
    const answer = await postJson(url);
    setBusy(false);
    setMessage(answer.ok ? { error: false, text: done } : { error: true, text: answer.error });
    if (answer.ok) router.refresh();
  };
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <button type="button" onClick={() => void act()} disabled={busy} className={SECONDARY_BUTTON}>{label}</button>
      {message && <span role={message.error ? 'alert' : 'status'} className={`text-sm ${message.error ? 'text-red-700 dark:text-red-300' : ''}`}>{message.text}</span>}
    </span>
  );
}
