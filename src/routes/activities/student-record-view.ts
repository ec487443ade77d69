import type { Auth } from '../../auth/require-session'
import type { Activity } from '../../domain/activities/ports'
import { countProgress, type ProgressCounts } from '../../domain/activities/progress-counts'
import {
  ACTIVITY_KIND_LABELS, ATTENDANCE_LABELS, COACHING_SKILL_LABELS, GOAL_HORIZON_LABELS, GOAL_STATUS_LABELS, VERIFICATION_LABELS
} from '../../domain/activities/vocabulary'
import { sameId, type Id } from '../../domain/ids'
import { dayOf } from '../../domain/term/calendar-day'
import { tripZone } from '../../domain/activities/trip-time'
import { timeLabelsIn } from '../../http/date-labels'
import type { ActivityServices } from '../../services'
import { actorOf } from './actor'

const progressStats = (p: ProgressCounts) => [
  { label: 'Verified 1:1 sessions', value: p.verified.session },
  { label: 'Verified coaching', value: p.verified.coaching },
  { label: 'Verified observed meetings', value: p.verified.meeting },
  { label: 'Field trips attended', value: p.fieldTripsAttended },
  { label: 'Goals set (short / long)', value: `${p.goalsSet.short} / ${p.goalsSet.long}` },
  { label: 'Reflections', value: p.reflections }
]

export function activityDetails (a: Activity) {
  if (a.kind === 'session') return [{ term: 'Duration', value: `${a.durationMinutes ?? 0} minutes` }, { term: 'Topics', value: (a.topics ?? []).join(', ') || '—' }, { term: 'Notes', value: a.notes || '—' }]
  if (a.kind === 'coaching') return [{ term: 'Skill', value: a.skill ? COACHING_SKILL_LABELS[a.skill] : '—' }, { term: 'Practised', value: a.practised ?? '' }]
  return [{ term: 'Organisation', value: a.organisation ?? '' }, { term: 'Reflection', value: a.reflection ?? '' }]
}

/**
 * Everything on one student's record page, as the viewer may see it: progress, the term timeline (activities,
 * reflections, field trips, milestones), goals, and contacts (never for instructors). Links to edit appear only
 * where the viewer may edit.
 */
export async function studentRecordView (services: ActivityServices, auth: Auth, student: Id) {
  const actor = actorOf(auth)
  const id = student
  const isStudent = auth.role === 'student'
  const isMentor = auth.role === 'mentor'
  const [activities, goals, reflections, contacts, trips, input] = await Promise.all([
    services.activities.list(actor, id),
    services.goals.list(actor, id),
    services.reflections.list(actor, id),
    auth.role === 'instructor' ? Promise.resolve(null) : services.contacts.list(actor, id),
    services.trips.list(actor),
    services.progress.input(actor.courseId, [student])
  ])
  const invited = trips.filter((t) => t.invitedUserIds.some((s) => sameId(s, student)))
  const [rsvps, attendance] = await Promise.all([
    services.rsvps.ofTrips(invited.map((t) => t._id)),
    services.attendanceRecords.ofCourse(actor.courseId)
  ])
  const mine = <T extends { studentUserId: Id, fieldTripId: Id }>(rows: T[], trip: Id) => rows.find((r) => sameId(r.studentUserId, student) && sameId(r.fieldTripId, trip))
  const forStudent = isMentor ? `?student=${id}` : ''
  const canEditActivity = (a: Activity) => isMentor || (isStudent && sameId(a.createdBy, actor.userId) && a.status !== 'verified')

  const timeline = [
    ...activities.map((a) => ({
      date: dayOf(a.date),
      kindLabel: ACTIVITY_KIND_LABELS[a.kind],
      title: a.kind === 'coaching' && a.skill ? COACHING_SKILL_LABELS[a.skill] : a.kind === 'meeting' ? a.organisation ?? '' : (a.topics ?? []).join(', '),
      details: activityDetails(a),
      status: a.status,
      statusLabel: VERIFICATION_LABELS[a.status],
      comment: a.status === 'rejected' ? a.review?.comment : undefined,
      editHref: canEditActivity(a) ? `/records/${a.kind}/${String(a._id)}/edit` : undefined,
      verify: isMentor && a.status === 'pending' ? { approve: `/mentor/verifications/${String(a._id)}/approve`, returnHref: `/mentor/verifications/${String(a._id)}/return?back=mentee` } : undefined
    })),
    ...reflections.map((r) => ({
      date: dayOf(r.date),
      kindLabel: 'Reflection',
      title: r.activityId ? `About the ${ACTIVITY_KIND_LABELS[activities.find((a) => sameId(a._id, r.activityId as Id))?.kind ?? 'session'].toLowerCase()}` : '',
      details: [{ term: 'Entry', value: r.text }],
      editHref: isStudent ? `/records/reflection/${String(r._id)}/edit` : undefined
    })),
    ...invited.map((t) => {
      const answer = mine(rsvps, t._id)?.answer
      const present = mine(attendance, t._id)?.status
      return {
        date: dayOf(t.startsAt),
        kindLabel: 'Field trip',
        title: t.title,
        details: [
          { term: 'When and where', value: `${timeLabelsIn(auth.zone.zone).happening(t.startsAt, tripZone(t))}, ${t.place}` },
          { term: 'Answer', value: answer === 'yes' ? 'Coming' : answer === 'no' ? 'Not coming' : 'Not answered' },
          { term: 'Attendance', value: present ? ATTENDANCE_LABELS[present] : 'Not recorded' }
        ]
      }
    }),
    ...(actor.term?.milestones ?? []).map((m) => ({ date: m.date, kindLabel: 'Milestone', title: m.title, milestone: true, details: [] }))
  ].sort((a, b) => a.date.localeCompare(b.date))

  return {
    studentId: id,
    progress: progressStats(countProgress([id], input).get(id) as ProgressCounts),
    timeline,
    goals: goals.map((g) => ({
      text: g.text,
      horizonLabel: GOAL_HORIZON_LABELS[g.horizon],
      targetDate: dayOf(g.targetDate),
      status: g.status,
      statusLabel: GOAL_STATUS_LABELS[g.status],
      progress: g.progress.map((p) => ({ date: dayOf(p.date), note: p.note, statusLabel: p.status ? GOAL_STATUS_LABELS[p.status] : undefined })),
      editHref: isStudent || isMentor ? `/records/goal/${String(g._id)}/edit` : undefined,
      progressHref: isStudent || isMentor ? `/records/goal/${String(g._id)}/progress` : undefined
    })),
    contacts: contacts?.map((c) => ({ ...c, editHref: isStudent ? `/records/contact/${String(c._id)}/edit` : undefined })) ?? null,
    contactsVisible: contacts !== null,
    contactCount: input.contacts.length,
    actions: {
      timeline: [
        ...(isStudent || isMentor ? [{ href: `/records/session/new${forStudent}`, label: isStudent ? 'Log a 1:1 session' : 'Record a 1:1 session' }] : []),
        ...(isMentor ? [{ href: `/records/coaching/new${forStudent}`, label: 'Record skills coaching' }] : []),
        ...(isStudent || isMentor ? [{ href: `/records/meeting/new${forStudent}`, label: isStudent ? 'Log an observed meeting' : 'Record an observed meeting' }] : []),
        ...(isStudent ? [{ href: '/records/reflection/new', label: 'Write a reflection' }] : [])
      ],
      goals: isStudent || isMentor ? [{ href: `/records/goal/new${forStudent}`, label: 'Set a goal' }] : [],
      contacts: isStudent ? [{ href: '/records/contact/new', label: 'Add a contact' }] : []
    }
  }
}
