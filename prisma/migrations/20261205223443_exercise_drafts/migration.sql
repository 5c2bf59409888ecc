-- CreateEnum
CREATE TYPE "DraftRunKind" AS ENUM ('validate', 'try');

-- CreateTable
CREATE TABLE "exercise_draft" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "files" JSONB NOT NULL,
    "authorId" TEXT,
    "editedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "exercise_draft_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "draft_run" (
    "id" TEXT NOT NULL,
    "draftId" TEXT NOT NULL,
    "kind" "DraftRunKind" NOT NULL,
    "requestedById" TEXT,
    "filesHash" TEXT NOT NULL,
    "files" JSONB NOT NULL,
    "file" TEXT,
    "state" "SubmissionState" NOT NULL DEFAULT 'queued',
    "checks" JSONB NOT NULL DEFAULT '[]',
    "valid" BOOLEAN,
    "result" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "draft_run_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "exercise_draft_slug_key" ON "exercise_draft"("slug");

-- CreateIndex
CREATE INDEX "draft_run_draftId_kind_createdAt_idx" ON "draft_run"("draftId", "kind", "createdAt");

-- AddForeignKey
ALTER TABLE "exercise_draft" ADD CONSTRAINT "exercise_draft_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exercise_draft" ADD CONSTRAINT "exercise_draft_editedById_fkey" FOREIGN KEY ("editedById") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "draft_run" ADD CONSTRAINT "draft_run_draftId_fkey" FOREIGN KEY ("draftId") REFERENCES "exercise_draft"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "draft_run" ADD CONSTRAINT "draft_run_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
