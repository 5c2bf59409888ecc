/**
 * Attempts: memory outside the JavaScript heap: huge ArrayBuffers and typed arrays, a resizable
 * ArrayBuffer grown to 1 GiB and a growable SharedArrayBuffer (both reserve and grow memory the
 * isolate's limit does not see), also through constructors reached from existing buffers.
 * If any of these hands out a gigabyte, the program prints the message as if it had solved the task.
 * Must: never get the gigabyte: fixed-size buffers count against the limit and fail, resizable ones
 * do not exist; graded, no marks beyond a do-nothing program's.
 */
export default async function main(sys: any, argv: string[]) {
  const GiB = 2 ** 30;
  let escaped = false;
  const constructors: any[] = [ArrayBuffer, SharedArrayBuffer, new Uint8Array(1).buffer.constructor,
    Object.getPrototypeOf(new Uint8Array(1).buffer).constructor, new Int32Array(new SharedArrayBuffer(4)).buffer.constructor];
  for (const Buffer of constructors) {
    try {
      const buffer = new Buffer(0, { maxByteLength: GiB });
      if (typeof buffer.resize === 'function') buffer.resize(GiB);
      else if (typeof buffer.grow === 'function') buffer.grow(GiB);
      const view = new Uint8Array(buffer);
      for (let i = 0; i < view.length; i += 4096) view[i] = 1;
      if (view.length >= GiB) escaped = true;
    } catch {
      // refused, as it must be
    }
  }
  const huge: (() => { byteLength: number })[] = [
    () => new ArrayBuffer(GiB),
    () => new SharedArrayBuffer(GiB),
    () => new Float64Array(GiB / 8),
    () => new Uint8Array(new ArrayBuffer(GiB)),
  ];
  // A failed allocation costs V8 a few full garbage collections: only the first test's run tries them.
  for (const allocate of argv[0] === 'hello' ? huge : []) {
    try {
      if (allocate().byteLength >= GiB) escaped = true; // a gigabyte under a 64 MiB limit
    } catch {
      // Array buffer allocation failed
    }
  }
  await sys.print(escaped ? argv[0] : '');
}
