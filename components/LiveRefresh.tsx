'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { statusText, type SubmissionStateName } from '@/lib/submission-view';
import SubmissionStatus from './SubmissionStatus';

/** Follows a submission that is still being graded, and redraws the page once it is done. */
export default function LiveRefresh({ submissionId, state }: { submissionId: string; state: SubmissionStateName }) {
  const router = useRouter();
  const [text, setText] = useState(statusText(state));
  useEffect(() => {
    const events = new EventSource(`/api/submissions/${submissionId}/events`);
    events.addEventListener('state', (event) => {
      const update = JSON.parse((event as MessageEvent<string>).data) as { state: SubmissionStateName; score?: number; maxScore?: number };
      setText(statusText(update.state, update.score, update.maxScore));
      if (update.state === 'graded' || update.state === 'error') {
        events.close();
        router.refresh();
      }
    });
    return () => events.close();
  }, [submissionId, router]);
  return <SubmissionStatus text={text} />;
}
