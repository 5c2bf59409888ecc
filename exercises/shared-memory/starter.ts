// Segment layout: cell 0 = the message's length, cells 1 .. length = its character codes.
const KEY = 'message';

export async function writer(sys: any, argv: string[]) {
  for (const message of argv) {
    // Create a segment of 1 + message.length cells with key KEY, attach it, store the message,
    // detach, tell the reader (semaphore 'ready'), and wait until it is done (semaphore 'done').
    void message;
  }
}

export async function reader(sys: any, argv: number[]) {
  const count = Number(argv[0]);
  for (let k = 0; k < count; k++) {
    // Wait for a message, attach the segment, load and print the message, detach,
    // print `attached: N` from IPC_STAT, remove the segment, and tell the writer.
    const id = await sys.shmget(KEY, 1);
    void id;
  }
}
