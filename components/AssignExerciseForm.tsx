'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import FormField from './FormField';
import { BUTTON, localToIso, postJson } from './instructor/post-json';

interface Assignable {
  slug: string;
  title: string;
  newestVersionNumber: number;
}

const SELECT = 'rounded border border-zinc-300 bg-white px-3 py-2 text-base font-normal dark:border-zinc-700 dark:bg-zinc-900';

/** A datetime-local value a week from now, in the browser's time zone. */
function inAWeek(): string {
  const date = new Date(Date.now() + 7 * 24 * 60 * 60 * 1000);
  date.setMinutes(date.getMinutes() - date.getTimezoneOffset(), 0, 0);
  return date.toISOString().slice(0, 16);
}

/** **Assign exercise**: the newest version of a published exercise, open now by default, with its late policy, counting and result visibility. */
export default function AssignExerciseForm({ courseId, exercises }: { courseId: string; exercises: Assignable[] }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [openNow, setOpenNow] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const assign = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const answer = await postJson(`/api/courses/${courseId}/assignments`, {
      exercise: form.get('exercise'),
      ...(openNow ? {} : { opensAt: localToIso(form.get('opensAt')) }),
      dueAt: localToIso(form.get('dueAt')),
      latePenaltyPerDay: Number(form.get('latePenaltyPerDay') || 0),
      hardDeadlineAt: localToIso(form.get('hardDeadlineAt')),
      counting: form.get('counting'),
      resultVisibility: form.get('resultVisibility'),
    });
    if (!answer.ok) return setError(answer.error);
    setError(null);
    setOpen(false);
    router.refresh();
  };

  if (!open) {
    return <button type="button" onClick={() => setOpen(true)} className={`${BUTTON} self-start`}>Assign exercise</button>;
  }
  return (
    <form onSubmit={(event) => void assign(event)} className="flex flex-col gap-4 rounded border border-zinc-300 p-4 dark:border-zinc-700">
      <h2 className="text-lg font-semibold">Assign exercise</h2>
      {exercises.length === 0 && <p className="text-sm">Every published exercise is assigned in this course already.</p>}
      <div className="grid gap-4 sm:grid-cols-2">
        <label className="flex flex-col gap-1 text-sm font-medium">
          Exercise
          <select name="exercise" required className={SELECT}>
            {exercises.map((exercise) => (
              <option key={exercise.slug} value={exercise.slug}>{exercise.title} ({exercise.slug}, version {exercise.newestVersionNumber})</option>
            ))}
          </select>
        </label>
        <fieldset className="flex flex-col gap-1 text-sm">
          <legend className="font-medium">Opens</legend>
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={openNow} onChange={(event) => setOpenNow(event.target.checked)} /> Open now
          </label>
          {!openNow && <FormField label="Opens at (your time zone)" name="opensAt" type="datetime-local" required />}
        </fieldset>
        <FormField label="Due (your time zone)" name="dueAt" type="datetime-local" required defaultValue={inAWeek()} />
        <FormField label="Late penalty (% per day)" name="latePenaltyPerDay" type="number" min={0} max={100} step="any" defaultValue={0}
          hint="Taken off a late submission's score for each started day after the due date." />
        <FormField label="Hard deadline (your time zone)" name="hardDeadlineAt" type="datetime-local"
          hint="Late submissions are taken until then; leave empty to close at the due date." />
        <label className="flex flex-col gap-1 text-sm font-medium">
          Counts
          <select name="counting" defaultValue="best" className={SELECT}>
            <option value="best">the best submission</option>
            <option value="last">the last submission</option>
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Hidden tests&apos; messages shown
          <select name="resultVisibility" defaultValue="immediately" className={SELECT}>
            <option value="immediately">immediately</option>
            <option value="after_due">after the due date</option>
            <option value="released">when released</option>
          </select>
        </label>
      </div>
      {error && <p role="alert" className="text-sm text-red-700 dark:text-red-300">{error}</p>}
      <div className="flex gap-3">
        <button type="submit" className={BUTTON} disabled={exercises.length === 0}>Assign</button>
        <button type="button" onClick={() => setOpen(false)} className="rounded px-4 py-2 hover:underline">Cancel</button>
      </div>
    </form>
  );
}
