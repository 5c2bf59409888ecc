import { useEffect, useRef } from 'react';

/** A read-only copy of the code with line numbers; `marked` lines (from 1) are highlighted and scrolled into view. */
export default function SourceLines({ code, marked, label }: { code: string; marked: number[]; label: string }) {
  const scroller = useRef<HTMLPreElement>(null);
  const lines = code.replace(/\n$/, '').split('\n');
  const first = marked[0];

  // Scroll inside the listing only: the page itself must not jump while stepping.
  useEffect(() => {
    const element = scroller.current;
    const line = first === undefined ? null : element?.querySelector<HTMLElement>(`[data-line="${first}"]`);
    if (!element || !line) return;
    const top = line.offsetTop - element.clientHeight / 3;
    element.scrollTop = Math.max(0, top);
  }, [first]);

  return (
    <pre
      ref={scroller}
      tabIndex={0}
      role="group"
      aria-label={label}
      className="relative h-72 overflow-auto rounded border border-zinc-200 bg-zinc-50 py-2 font-mono text-xs leading-5 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <code className="block min-w-max">
        {lines.map((text, index) => {
          const number = index + 1;
          const highlighted = marked.includes(number);
          return (
            <span key={number} data-line={number} className={`flex pr-3 ${highlighted ? 'bg-amber-200 dark:bg-amber-900' : ''}`}>
              <span aria-hidden="true" className={`w-10 shrink-0 select-none pr-3 text-right ${highlighted ? 'text-zinc-800 dark:text-zinc-100' : 'text-zinc-500 dark:text-zinc-400'}`}>{number}</span>
              {highlighted && <span className="sr-only">(this step&apos;s call) </span>}
              <span>{text || ' '}</span>
            </span>
          );
        })}
      </code>
    </pre>
  );
}
