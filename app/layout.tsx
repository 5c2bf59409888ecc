import type { ReactNode } from 'react';

export const metadata = { title: 'Rendezvous', description: 'Auto-graded IPC exercises on a deterministic simulated kernel' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
