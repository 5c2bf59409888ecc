/**
 * Preloaded into the web app by `npm run bench:queries -- --cpu-prof DIR` (Node refuses --cpu-prof
 * in NODE_OPTIONS): profiles the whole process and writes DIR/web-<pid>.cpuprofile when it exits.
 */
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const path = require('node:path');

const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 1000 });
session.post('Profiler.start');
process.once('exit', () => {
  // The inspector answers synchronously while the process exits, so the profile is written before it ends.
  session.post('Profiler.stop', (error, result) => {
    if (!error) writeFileSync(path.join(process.env.RENDEZVOUS_CPU_PROFILE_DIR, `web-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
  });
});
