import { Kernel } from './kernel';
import { createSys, SYSCALLS, type Syscall, type SyscallSpec } from './syscalls';

describe('the sys object', () => {
  it('offers exactly the calls of the syscall table, but the internal ones, plus the four synchronous calls', () => {
    const kernel = new Kernel({ programs: [] });
    kernel.start();
    const proc = kernel.host('10.0.0.1').init;
    const offered = Object.keys(createSys(kernel, proc)).sort();
    const table = Object.entries(SYSCALLS as Record<string, SyscallSpec>).filter(([, spec]) => !spec.internal).map(([name]) => name);
    expect(offered).toEqual([...table, 'getpid', 'getppid', 'gettid', 'now'].sort());
  });

  it('hands the kernel the table entry of the call each method is named after', () => {
    const entered: string[] = [];
    const recorder = { enter: (spec: Syscall) => entered.push(spec.name) } as unknown as Kernel;
    const sys = createSys(recorder, new Kernel({ programs: [] }).host('10.0.0.1').init) as Record<string, (...args: unknown[]) => unknown>;
    const asynchronous = Object.keys(sys).filter((name) => !['getpid', 'getppid', 'gettid', 'now'].includes(name));
    for (const name of asynchronous) sys[name]();
    expect(entered).toEqual(asynchronous);
  });
});
