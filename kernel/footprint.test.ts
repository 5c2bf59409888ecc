import { Kernel } from './kernel';
import { moduleFrom, runUntilFinished } from '../test/support/kernel';
import type { StepChoice } from './types';

const pipeAndSemaphore = moduleFrom(`
export default async function main(sys) {
  const [readEnd, writeEnd] = await sys.pipe();
  const sem = await sys.sem_init(0);
  if ((await sys.fork()) === 0) {
    await sys.write(writeEnd, 'x');
    await sys.sem_post(sem);
    return 0;
  }
  await sys.sem_wait(sem);
  await sys.read(readEnd, 1);
  await sys.wait();
}`);

function choicesOf(decisions: string[]): Promise<StepChoice[]> {
  const kernel = new Kernel({ schedule: 'replay', decisions, recordChoices: true, programs: [{ module: pipeAndSemaphore }] });
  return runUntilFinished(kernel, () => kernel.result().choices!);
}

// Exhaustive exploration carries a run's footprints into the runs of its branches (sleep sets): a
// pipe or semaphore must be named alike in every run that makes it at the same step.
test('a run names its kernel objects in footprints as every other run of the same schedule does', async () => {
  const first = await choicesOf([]);
  const second = await choicesOf([]);
  expect(first.some((choice) => choice.footprints.some((footprint) => footprint.some((key) => key.startsWith('#'))))).toBe(true);
  expect(second).toEqual(first);
});
