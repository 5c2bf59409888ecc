async function put(sys: any, text: string) {
  const id = await sys.shmget('message', text.length + 1);
  const seg = await sys.shmat(id);
  await seg.store(0, text.length);
  for (let i = 0; i < text.length; i++) await seg.store(i + 1, text.charCodeAt(i));
  await sys.shmdt(seg);
}

async function take(sys: any): Promise<{ id: number; text: string }> {
  const id = await sys.shmget('message', 1);
  const seg = await sys.shmat(id);
  const n = await seg.load(0);
  const codes = [];
  for (let i = 1; i <= n; i++) codes.push(await seg.load(i));
  await sys.shmdt(seg);
  return { id, text: String.fromCharCode(...codes) };
}

export async function writer(sys: any, argv: string[]) {
  const ready = await sys.sem_open('ready', 0);
  const done = await sys.sem_open('done', 0);
  for (const text of argv) {
    await put(sys, text);
    await sys.sem_post(ready);
    await sys.sem_wait(done);
  }
}

export async function reader(sys: any, argv: number[]) {
  const ready = await sys.sem_open('ready', 0);
  const done = await sys.sem_open('done', 0);
  for (let k = 0; k < Number(argv[0]); k++) {
    await sys.sem_wait(ready);
    const { id, text } = await take(sys);
    await sys.print(text);
    const stat = await sys.shmctl(id, 'IPC_STAT');
    await sys.print('attached: ' + stat.nattch);
    await sys.shmctl(id, 'IPC_RMID');
    await sys.sem_post(done);
  }
}
