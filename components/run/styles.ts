/** The Run panel's secondary button, shared by the panel and its lazily loaded results. */
export const panelButton = 'rounded border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800';
