/**
 * Attempts: memory the isolate's limit does not count: a WebAssembly.Memory grown page by page to
 * 1 GiB and touched (before the fix this reached 1 GiB of resident memory under a 64 MiB limit).
 * If the gigabyte is granted, the program prints the message as if it had solved the task.
 * Must: find no WebAssembly in the sandbox; graded, no marks beyond a do-nothing program's.
 */
export default async function main(sys: any, argv: string[]) {
  const wasm = (globalThis as any).WebAssembly;
  let escaped = false;
  if (wasm && argv[0] === 'hello') {
    try {
      const memory = new wasm.Memory({ initial: 1, maximum: 65536 });
      for (let pages = 1; pages < 16384; pages += 1024) memory.grow(1024);
      const bytes = new Uint8Array(memory.buffer);
      for (let i = 0; i < bytes.length; i += 4096) bytes[i] = 1;
      escaped = bytes.length >= 2 ** 30;
    } catch {
      // refused
    }
  }
  await sys.print(escaped ? argv[0] : '');
}
