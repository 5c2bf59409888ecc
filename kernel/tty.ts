import { OpenFile } from './fd';
import type { Kernel } from './kernel';
import type { Proc } from './proc';
import type { Thread } from './thread';

const TRUNCATED = '...[output truncated]\n';

/** What a process wrote to the run's stdout or stderr, kept up to the run's output limit. */
export class Capture {
  text = '';
  /** Characters offered, kept or not. */
  offered = 0;
  truncated = false;
}

/** fd 0 of a first process: the text the run was given as stdin, then end of file. */
export class TerminalInput extends OpenFile {
  /** Characters already read. */
  private offset = 0;

  constructor(private readonly text: string) {
    super(true, false, false);
  }

  get kind(): string {
    return 'tty';
  }

  channels(): object[] {
    return [this];
  }

  read(_k: Kernel, _t: Thread, _req: unknown, n: number): string {
    const chunk = this.text.slice(this.offset, this.offset + n);
    this.offset += chunk.length;
    return chunk;
  }
}

/** fd 1 or fd 2 of a first process: everything written is captured for the report. */
export class TerminalOutput extends OpenFile {
  constructor(readonly stream: 'stdout' | 'stderr') {
    super(false, true, false);
  }

  get kind(): string {
    return 'tty';
  }

  /** Every process's output lands in the run's one combined stream, whose order matters. */
  channels(): string[] {
    return [`tty:${this.stream}`];
  }

  write(k: Kernel, t: Thread, _req: unknown, data: string): number {
    capture(k, t.proc, this.stream, data);
    return data.length;
  }
}

/** Appends to the writer's capture and the run's combined stream, dropping what exceeds the limit. */
export function capture(k: Kernel, proc: Proc, stream: 'stdout' | 'stderr', data: string): void {
  const own = proc.output[stream];
  const room = k.options.outputLimit - own.offered;
  own.offered += data.length;
  if (room >= data.length) {
    own.text += data;
    k.output[stream] += data;
    return;
  }
  const kept = Math.max(0, room);
  own.text += data.slice(0, kept);
  k.output[stream] += data.slice(0, kept);
  if (!own.truncated) {
    own.truncated = true;
    own.text += TRUNCATED;
    k.output[stream] += TRUNCATED;
  }
}
