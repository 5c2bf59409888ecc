-- CreateEnum
CREATE TYPE "FullTraceState" AS ENUM ('queued', 'ready', 'failed');

-- CreateTable
CREATE TABLE "full_trace" (
    "id" TEXT NOT NULL,
    "submissionId" TEXT NOT NULL,
    "test" TEXT NOT NULL,
    "state" "FullTraceState" NOT NULL DEFAULT 'queued',
    "counterexample" JSONB,
    "message" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "full_trace_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "full_trace_submissionId_test_key" ON "full_trace"("submissionId", "test");

-- AddForeignKey
ALTER TABLE "full_trace" ADD CONSTRAINT "full_trace_submissionId_fkey" FOREIGN KEY ("submissionId") REFERENCES "submission"("id") ON DELETE CASCADE ON UPDATE CASCADE;
