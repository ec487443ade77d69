import { addDays, dayOf, type Day } from '../term/calendar-day'
import { recipientOf, type Notice } from './notice'
import type { NoticeGroup, WorkOutcome } from './work-notices'
import type { PairingDirectory } from './ports'
import { quietNotices } from './quiet-pairs'
import { nextDailyLook } from './scheduled-notices'

/** Students and mentors hear of a milestone this many days before its date. */
export const MILESTONE_NOTICE_DAYS = 3
/** The weekly summary goes to instructors with the look of this weekday (1: Monday). */
const SUMMARY_WEEKDAY = 1

export interface DailyLookDeps {
  directory: PairingDirectory
  /** True the first time a key is asked for (jobs.once). */
  once: (key: string) => Promise<boolean>
  digestHourUtc: number
  now: () => Date
}

/** Keeps the items whose key is asked for the first time. */
async function firstTime<T> (items: readonly T[], keyOf: (item: T) => string, once: DailyLookDeps['once']): Promise<T[]> {
  const fresh: T[] = []
  for (const item of items) if (await once(keyOf(item))) fresh.push(item)
  return fresh
}

/** Both sides of each pair that went quiet since the last look (once per quiet spell: the pair and the day it is quiet since). */
async function quietGroup (courseId: string, course: string, { directory, once, now }: DailyLookDeps): Promise<NoticeGroup> {
  const pairs = await firstTime(await directory.quietPairs(courseId, now()),
    (p) => `quiet.${courseId}.${p.studentUserId}.${p.mentorId}.${p.lastActivity ?? 'none'}`, once)
  const mentors = await directory.mentors(courseId, [...new Set(pairs.map((p) => p.mentorId))])
  return { kind: 'quiet', notices: pairs.flatMap((pair) => { const mentor = mentors.get(pair.mentorId); return mentor ? quietNotices(course, pair, mentor) : [] }) }
}

/** Milestones within the next few days, once each, to the students and their mentors. */
async function milestoneGroup (courseId: string, course: string, { directory, once, now }: DailyLookDeps): Promise<NoticeGroup> {
  const today = dayOf(now())
  const soon = (await directory.milestones(courseId)).filter((m) => m.date > today && m.date <= addDays(today, MILESTONE_NOTICE_DAYS))
  const due = await firstTime(soon, (m) => `milestone.${courseId}.${m.date}.${m.title}`, once)
  if (due.length === 0) return { kind: 'milestone', notices: [] }
  const [students, pairs] = await Promise.all([directory.people(courseId, 'student'), directory.activePairs(courseId)])
  const mentors = await directory.mentors(courseId, [...new Set(pairs.map((p) => p.mentorId))])
  const notices = due.flatMap((m): Notice[] => {
    const data = (name: string) => ({ course, name, milestone: m })
    const subject = `${m.title} on ${m.label} — ${course}`
    const line = `Milestone in ${MILESTONE_NOTICE_DAYS} days: ${m.title}, ${m.label}`
    return [
      ...students.map((s): Notice => ({
        to: { address: s.email, name: s.name }, inbox: recipientOf.user(s.userId), key: `ms-${m.date}-${s.userId}`, subject, line,
        template: 'milestone', role: 'student', page: '/student', data: data(s.name)
      })),
      ...[...mentors].map(([mentorId, mentor]): Notice => ({
        to: { address: mentor.email, name: mentor.name }, inbox: recipientOf.mentor(mentorId), key: `mm-${m.date}-${mentorId}`, subject, line,
        template: 'milestone', role: 'mentor', page: '/mentor/mentees', data: data(mentor.name)
      }))
    ]
  })
  return { kind: 'milestone', notices }
}

/** Assessment points due in a few days, once each, to the students and mentors who have not submitted. */
async function assessmentGroup (courseId: string, course: string, { directory, once, now }: DailyLookDeps): Promise<NoticeGroup> {
  const soon = await directory.assessmentsDue(courseId, dayOf(now()), MILESTONE_NOTICE_DAYS)
  const due = await firstTime(soon, (a) => `assessment.${courseId}.${a.point}.${a.due}`, once)
  const notices = due.flatMap((a): Notice[] => {
    const subject = `${a.label} assessment due ${a.dueLabel} — ${course}`
    return [
      ...a.students.map((s): Notice => ({
        to: { address: s.email, name: s.name }, inbox: recipientOf.user(s.userId), key: `as-${a.point}-${a.due}-${s.userId}`, subject,
        line: `Rate yourself on the course's competencies (${a.label}) by ${a.dueLabel}`,
        template: 'assessment-due', role: 'student', page: '/student/assessments', data: { course, name: s.name, assessment: a, self: true }
      })),
      ...a.mentors.map((m): Notice => ({
        to: { address: m.email, name: m.name }, inbox: recipientOf.mentor(m.mentorId), key: `am-${a.point}-${a.due}-${m.mentorId}`, subject,
        line: `Rate ${m.mentees === 1 ? 'your mentee' : `${m.mentees} mentees`} on the course's competencies (${a.label}) by ${a.dueLabel}`,
        template: 'assessment-due', role: 'mentor', page: '/mentor/assessments', data: { course, name: m.name, assessment: a, mentees: m.mentees, oneMentee: m.mentees === 1 }
      }))
    ]
  })
  return { kind: 'assessment', notices }
}

/** On Mondays, the week in the course for its instructors: activity, pairs at risk, entries waiting, what did not reach the LMS or an inbox. */
async function weeklyGroup (courseId: string, course: string, day: Day, { directory }: DailyLookDeps): Promise<NoticeGroup> {
  const [instructors, week] = await Promise.all([directory.people(courseId, 'instructor'), directory.courseWeek(courseId, day)])
  const subject = `Your week in ${course}: ${week.active} of ${week.students} students active, ${week.atRisk} pairs at risk`
  const line = `Your week: ${week.active} of ${week.students} students active, ${week.atRisk} pairs at risk, ${week.waiting} entries waiting for verification`
  return {
    kind: 'weekly',
    notices: instructors.map((i): Notice => ({
      to: { address: i.email, name: i.name }, inbox: recipientOf.user(i.userId), key: `w-${i.userId}`, subject, line,
      template: 'weekly-summary', role: 'instructor', page: '/instructor/at-risk', data: { course, name: i.name, week }
    }))
  }
}

/**
 * A course's morning: pairs gone quiet, milestones and assessments coming, and on Mondays the instructors' week. Each look schedules
 * the next, a day after this one was due (not after now: a late look must not skip a day).
 */
export async function dailyLook (courseId: string, dueAt: Date, deps: DailyLookDeps): Promise<WorkOutcome> {
  const course = await deps.directory.courseTitle(courseId)
  const groups = [await quietGroup(courseId, course, deps), await milestoneGroup(courseId, course, deps), await assessmentGroup(courseId, course, deps)]
  if (dueAt.getUTCDay() === SUMMARY_WEEKDAY) groups.push(await weeklyGroup(courseId, course, dayOf(dueAt), deps))
  return { groups, later: [nextDailyLook(courseId, dueAt, deps.digestHourUtc)] }
}
