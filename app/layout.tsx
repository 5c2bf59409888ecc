import type { ReactNode } from 'react';
import SiteHeader from '@/components/SiteHeader';
import './globals.css';

export const metadata = { title: 'Rendezvous', description: 'Auto-graded IPC exercises on a deterministic simulated kernel' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen antialiased">
        <SiteHeader />
        {children}
      </body>
    </html>
  );
}
