-- CreateEnum
CREATE TYPE "Counting" AS ENUM ('best', 'last');

-- AlterTable
ALTER TABLE "assignment" ADD COLUMN     "counting" "Counting" NOT NULL DEFAULT 'best',
ADD COLUMN     "hardDeadlineAt" TIMESTAMP(3),
ADD COLUMN     "latePenaltyPerDay" DOUBLE PRECISION NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "regrade" (
    "id" TEXT NOT NULL,
    "assignmentId" TEXT NOT NULL,
    "fromVersionId" TEXT NOT NULL,
    "toVersionId" TEXT NOT NULL,
    "requestedById" TEXT,
    "total" INTEGER NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "regrade_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "regrade_item" (
    "id" TEXT NOT NULL,
    "regradeId" TEXT NOT NULL,
    "submissionId" TEXT NOT NULL,
    "state" "SubmissionState" NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "beforeScore" DOUBLE PRECISION NOT NULL,
    "beforeMaxScore" DOUBLE PRECISION NOT NULL,
    "status" TEXT,
    "score" DOUBLE PRECISION,
    "maxScore" DOUBLE PRECISION,
    "grade" JSONB,
    "durationMs" INTEGER,
    "changedTests" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "gradedAt" TIMESTAMP(3),

    CONSTRAINT "regrade_item_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "grade_override" (
    "id" TEXT NOT NULL,
    "assignmentId" TEXT NOT NULL,
    "studentId" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "reason" TEXT NOT NULL,
    "actorId" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "grade_override_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "regrade_assignmentId_createdAt_idx" ON "regrade"("assignmentId", "createdAt");

-- CreateIndex
CREATE INDEX "regrade_item_state_idx" ON "regrade_item"("state");

-- CreateIndex
CREATE UNIQUE INDEX "regrade_item_regradeId_submissionId_key" ON "regrade_item"("regradeId", "submissionId");

-- CreateIndex
CREATE UNIQUE INDEX "grade_override_assignmentId_studentId_key" ON "grade_override"("assignmentId", "studentId");

-- AddForeignKey
ALTER TABLE "regrade" ADD CONSTRAINT "regrade_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "assignment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "regrade" ADD CONSTRAINT "regrade_toVersionId_fkey" FOREIGN KEY ("toVersionId") REFERENCES "exercise_version"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "regrade_item" ADD CONSTRAINT "regrade_item_regradeId_fkey" FOREIGN KEY ("regradeId") REFERENCES "regrade"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "regrade_item" ADD CONSTRAINT "regrade_item_submissionId_fkey" FOREIGN KEY ("submissionId") REFERENCES "submission"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "grade_override" ADD CONSTRAINT "grade_override_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "assignment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "grade_override" ADD CONSTRAINT "grade_override_studentId_fkey" FOREIGN KEY ("studentId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
