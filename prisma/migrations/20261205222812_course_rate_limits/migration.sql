-- AlterTable
ALTER TABLE "course" ADD COLUMN     "submitsPerCoursePerMinute" INTEGER,
ADD COLUMN     "submitsPerUserPerMinute" INTEGER;
