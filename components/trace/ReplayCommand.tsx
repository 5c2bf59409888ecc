import { useState } from 'react';
import type { Counterexample } from '@/grader/harness';
import { replayCommand } from '@/lib/replay-command';

export const REPLAY_FILE = 'counterexample.json';
export const PROGRAM_FILE = 'submission.ts';
export const PROGRAMS_FILE = 'programs.json';

/** A file to download, as a data URL: no server round trip and nothing to revoke. */
const download = (text: string, type: string) => `data:${type};charset=utf-8,${encodeURIComponent(text)}`;

/**
 * The schedule to replay and the code, as files, and the command that replays them: exact when the
 * run's inputs and settings came with it, else (a result stored before they did) the general form.
 */
export default function ReplayCommand({ counterexample, code }: { counterexample: Counterexample; code: string }) {
  const [copied, setCopied] = useState(false);
  const exact = counterexample.request ? replayCommand(counterexample.request, { program: PROGRAM_FILE, replay: REPLAY_FILE, programs: PROGRAMS_FILE }) : null;
  const programs = exact && 'command' in exact ? exact.programs : null;
  const shown = exact ? ('command' in exact ? exact.command : null) : `npx rendezvous run ${PROGRAM_FILE} --replay ${REPLAY_FILE} --trace`;
  // What `--replay` reads: the decisions, and the seed that Math.random and the network follow.
  const schedule = JSON.stringify({ seed: counterexample.seed, strategy: counterexample.strategy, decisions: counterexample.decisions }, null, 2);

  const copy = async () => {
    if (shown === null) return;
    await navigator.clipboard.writeText(shown);
    setCopied(true);
  };

  return (
    <section aria-label="Replay in the CLI" className="flex flex-col gap-2 text-sm">
      <h3 className="font-semibold">Replay in the CLI</h3>
      <p className="text-zinc-700 dark:text-zinc-300">
        Save <a className="text-indigo-700 underline dark:text-indigo-300" download={REPLAY_FILE} href={download(schedule, 'application/json')}>{REPLAY_FILE}</a> (the
        schedule: {counterexample.decisions.length} scheduling decision{counterexample.decisions.length === 1 ? '' : 's'}, then round robin; seed {counterexample.seed})
        {programs ? ', ' : ' and '}<a className="text-indigo-700 underline dark:text-indigo-300" download={PROGRAM_FILE} href={download(code, 'text/plain')}>{PROGRAM_FILE}</a> (this code)
        {programs && <> and <a className="text-indigo-700 underline dark:text-indigo-300" download={PROGRAMS_FILE} href={download(programs, 'application/json')}>{PROGRAMS_FILE}</a> (the programs this run starts)</>}
        {shown === null ? '.' : exact ? ', then run:' : ', then run, adding the test\u2019s --arg and --stdin if it has any:'}
      </p>
      {exact && 'unavailable' in exact && <p className="text-zinc-700 dark:text-zinc-300">{exact.unavailable}</p>}
      {shown !== null && (
        <div className="flex flex-wrap items-start gap-2">
          <pre className="min-w-0 flex-1 whitespace-pre-wrap break-words rounded bg-zinc-100 px-3 py-2 font-mono text-xs dark:bg-zinc-900"><code>{shown}</code></pre>
          <button type="button" onClick={copy} className="min-w-32 rounded border border-zinc-300 px-3 py-1.5 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
            {copied ? 'Copied' : 'Copy command'}
          </button>
        </div>
      )}
    </section>
  );
}
