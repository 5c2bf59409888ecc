/**
 * The web app's CPU time, read from /proc (so waiting for a busy machine's cores does not count):
 * the platform benches divide it by the requests served.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The stat fields (after the command name) of this process's child whose command starts with `name`. */
function childStat(name: string): string[] {
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid && command.startsWith(name)) return fields;
    } catch {
      // A process that ended since the listing.
    }
  }
  throw new Error(`no child process named ${name}`);
}

/** CPU milliseconds the web app's server process (`next start`) has used, user and system (clock ticks of 10 ms). */
export function webCpuMs(): number {
  const fields = childStat('next-server');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
