import { Kernel } from './kernel';
import { createSys, SYSCALLS } from './syscalls';

describe('the sys object', () => {
  it('offers exactly the calls of the syscall table, but the internal ones, plus the four synchronous calls', () => {
    const kernel = new Kernel({ programs: [] });
    kernel.start();
    const proc = kernel.host('10.0.0.1').init;
    const offered = Object.keys(createSys(kernel, proc)).sort();
    const table = Object.entries(SYSCALLS).filter(([, spec]) => !spec.internal).map(([name]) => name);
    expect(offered).toEqual([...table, 'getpid', 'getppid', 'gettid', 'now'].sort());
  });
});
