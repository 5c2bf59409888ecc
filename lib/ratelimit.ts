/**
 * Submission limits, counted in Redis so every web process shares them: a window opens at the
 * first request and allows `limit` requests until it closes. Two limits hold at once: each
 * student's in a course, and the whole course's. An instructor sets both for their course, within
 * the maxima the site's operator sets in the environment.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { authorize, type Actor } from './authz';
import { db, type SubmissionKind } from './db';
import { HttpError, notFound } from './errors';
import { countEvent } from './metrics';
import { keyPrefix } from './redis';

const WINDOW_SECONDS = 60;

function positiveFromEnvironment(name: string, fallback: number): number {
  const configured = Number(process.env[name]);
  return Number.isInteger(configured) && configured > 0 ? configured : fallback;
}

/** Requests a user may make per minute, by kind, where the course sets nothing (web.md's defaults; the environment may change them). */
function limitPerMinute(kind: SubmissionKind): number {
  return kind === 'submit' ? positiveFromEnvironment('RATE_LIMIT_SUBMIT_PER_MINUTE', 6) : positiveFromEnvironment('RATE_LIMIT_VISIBLE_PER_MINUTE', 20);
}

/** The most an instructor may allow: the site's operator decides, per student and per course. */
function siteMaxima(): { perUser: number; perCourse: number } {
  return {
    perUser: positiveFromEnvironment('RATE_LIMIT_MAX_SUBMIT_PER_USER_PER_MINUTE', 60),
    perCourse: positiveFromEnvironment('RATE_LIMIT_MAX_PER_COURSE_PER_MINUTE', 600),
  };
}

/** A course's own settings; null leaves the site's default (per user) or maximum (per course). */
export interface CourseRateSettings {
  submitsPerUserPerMinute: number | null;
  submitsPerCoursePerMinute: number | null;
}

/** The limits in force in a course: its settings, never above the site's maxima. */
function effectiveLimits(settings: CourseRateSettings): { perUser: number; perCourse: number } {
  const maxima = siteMaxima();
  return {
    perUser: Math.min(settings.submitsPerUserPerMinute ?? limitPerMinute('submit'), maxima.perUser),
    perCourse: Math.min(settings.submitsPerCoursePerMinute ?? maxima.perCourse, maxima.perCourse),
  };
}

export type RateDecision = { allowed: true } | { allowed: false; scope: 'user' | 'course'; retryAfterSeconds: number };

export interface SlotRequest {
  userId: string;
  courseId: string;
  kind: SubmissionKind;
  settings: CourseRateSettings;
}

/**
 * Counts the request in the student's window and, only if the student is within their limit, in the
 * course's, in one round trip: answers 0 (allowed), 1 (the student's limit) or 2 (the course's),
 * and the seconds until the window that refused it closes. A window opens at its first request.
 */
const TAKE_SLOT_SCRIPT = `
local function count(key)
  local n = redis.call('INCR', key)
  redis.call('EXPIRE', key, ARGV[1], 'NX')
  return n, redis.call('TTL', key)
end
local student, studentLeft = count(KEYS[1])
if student > tonumber(ARGV[2]) then return {1, studentLeft} end
local course, courseLeft = count(KEYS[2])
if course > tonumber(ARGV[3]) then return {2, courseLeft} end
return {0, 0}`;

/**
 * Counts one request against the student's window and, if the student may make it, the course's.
 * A student's visible runs keep the site's visible limit (they do not count for a grade), but load
 * the workers as submissions do, so the course's window counts both.
 */
export async function takeSubmissionSlot(redis: Redis, { userId, courseId, kind, settings }: SlotRequest): Promise<RateDecision> {
  const limits = effectiveLimits(settings);
  const studentLimit = kind === 'submit' ? limits.perUser : limitPerMinute('visible');
  const [refusedBy, secondsLeft] = (await redis.eval(
    TAKE_SLOT_SCRIPT,
    2,
    `${keyPrefix()}:rate:${kind}:${courseId}:${userId}`,
    `${keyPrefix()}:rate:course:${courseId}`,
    WINDOW_SECONDS,
    studentLimit,
    limits.perCourse,
  )) as [number, number];
  if (refusedBy === 0) return { allowed: true };
  const scope = refusedBy === 1 ? 'user' : 'course';
  // Counting is best effort: a refusal is answered whether or not the metric was recorded.
  await countEvent(redis, 'rendezvous_rate_limit_refusals_total', { kind, scope }).catch(() => undefined);
  return { allowed: false, scope, retryAfterSeconds: Math.max(1, secondsLeft) };
}

// --- What an instructor sets -------------------------------------------------------------------

const perMinute = z.number().int('a whole number').min(1, 'at least 1').nullable();

export const courseRateSettingsSchema = z.object({
  submitsPerUserPerMinute: perMinute,
  submitsPerCoursePerMinute: perMinute,
});

/** A course's settings, the limits in force and the site's maxima, for its staff. */
export async function readCourseRateLimits(actor: Actor, courseId: string) {
  await authorize(actor, courseId, 'course.configure');
  const course = await db.course.findUnique({ where: { id: courseId }, select: { title: true, submitsPerUserPerMinute: true, submitsPerCoursePerMinute: true } });
  if (!course) throw notFound('That course');
  const settings = { submitsPerUserPerMinute: course.submitsPerUserPerMinute, submitsPerCoursePerMinute: course.submitsPerCoursePerMinute };
  return { title: course.title, settings, effective: effectiveLimits(settings), maxima: siteMaxima() };
}

/** Sets a course's limits; a value above the site's maximum is refused with the maximum named. */
export async function setCourseRateLimits(actor: Actor, courseId: string, settings: CourseRateSettings) {
  await readCourseRateLimits(actor, courseId);
  const maxima = siteMaxima();
  if (settings.submitsPerUserPerMinute !== null && settings.submitsPerUserPerMinute > maxima.perUser) {
    throw new HttpError(400, `This site allows at most ${maxima.perUser} submissions per student per minute.`);
  }
  if (settings.submitsPerCoursePerMinute !== null && settings.submitsPerCoursePerMinute > maxima.perCourse) {
    throw new HttpError(400, `This site allows at most ${maxima.perCourse} submissions per course per minute.`);
  }
  await db.course.update({ where: { id: courseId }, data: settings });
  return readCourseRateLimits(actor, courseId);
}
