/** What the rest of the product uses of the kernel. */
export { Kernel, TIMEOUT_MESSAGE } from './kernel';
export { budgetPoll } from './budget';
export { realm } from './realm';
export { markProgramProxy } from './clone';
export { SysError } from './errors';
export type { EncodedDecisions } from './decisions';
export type { WireRunResult } from './wire';
export type * from './types';
