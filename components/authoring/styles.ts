/** The authoring workspace's controls share one look: its buttons and its small form fields. */
export const secondaryButton = 'rounded border border-indigo-700 px-4 py-2 font-medium text-indigo-700 hover:bg-indigo-50 disabled:opacity-60 dark:border-indigo-300 dark:text-indigo-200 dark:hover:bg-indigo-950';
export const primaryButton = 'rounded bg-indigo-700 px-4 py-2 font-medium text-white hover:bg-indigo-800 disabled:opacity-60';
export const smallField = 'rounded border border-zinc-300 bg-white px-2 py-1 text-sm font-normal dark:border-zinc-700 dark:bg-zinc-900';
