/**
 * The audit log of grade-changing actions: every publish, regrade, change of an assignment's dates
 * (they decide which submissions are late), manual override and release leaves one entry,
 * written in the same transaction as the change it records.
 */
import type { Prisma, PrismaClient } from './db';
import { db } from './db';

export type AuditAction = 'exercise.publish' | 'assignment.regrade' | 'assignment.reschedule' | 'grade.override' | 'results.release';

export interface AuditRecord {
  actorId: string | null;
  courseId?: string | null;
  action: AuditAction;
  subject: string;
  reason?: string | null;
  details?: Prisma.InputJsonValue;
}

/** Writes one entry; pass the transaction's client so the entry and the change commit together. */
export async function recordAudit(record: AuditRecord, client: Prisma.TransactionClient | PrismaClient = db): Promise<void> {
  await client.auditEntry.create({
    data: {
      actorId: record.actorId,
      courseId: record.courseId ?? null,
      action: record.action,
      subject: record.subject,
      reason: record.reason ?? null,
      details: record.details ?? {},
    },
  });
}
