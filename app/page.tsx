/** The landing page; the student and instructor areas arrive with the web platform. */
export default function Home() {
  return (
    <main>
      <h1>Rendezvous</h1>
      <p>Interprocess-communication exercises graded on a deterministic, replayable simulated kernel.</p>
      <p>
        Until the web platform lands, run programs with <code>npx rendezvous run program.ts</code>.
      </p>
    </main>
  );
}
