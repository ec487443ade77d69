import type { Auth } from '../../auth/require-session'
import { countProgress, type ProgressCounts } from '../../domain/activities/progress-counts'
import { tripZone } from '../../domain/activities/trip-time'
import { timeLabelsIn } from '../../http/date-labels'
import type { ActivityServices } from '../../services'
import type { HomePeople } from '../completion/home-progress'
import { actorOf } from './actor'
import { upcomingMilestones } from '../calendar/pages'

/** A few lines of the mentoring record for each role's home page. */
export function activityHomeSummary (services: ActivityServices) {
  const upcomingTrips = async (auth: Auth, mentees?: readonly string[]) => {
    const now = new Date()
    const labels = timeLabelsIn(auth.zone.zone)
    return (await services.trips.list(actorOf(auth), mentees)).filter((t) => t.startsAt > now).slice(0, 3)
      .map((t) => ({ title: t.title, when: labels.happening(t.startsAt, tripZone(t)), at: t.startsAt.toISOString(), place: t.place }))
  }
  return async (auth: Auth, people: HomePeople = {}): Promise<{ activitySummary: Record<string, unknown> }> => {
    const actor = actorOf(auth)
    if (auth.role === 'student') {
      const id = actor.userId
      const [input, trips] = await Promise.all([people.own ?? services.progress.input(actor.courseId, [actor.userId]), upcomingTrips(auth)])
      const p = countProgress([id], input).get(id) as ProgressCounts
      return {
        activitySummary: {
          verified: p.verified.session + p.verified.coaching + p.verified.meeting,
          pending: input.activities.filter((a) => a.status === 'pending').length,
          returned: input.activities.filter((a) => a.status === 'rejected').length,
          fieldTrips: p.fieldTripsAttended,
          goals: p.goalsSet.short + p.goalsSet.long,
          trips,
          milestones: upcomingMilestones(auth)
        }
      }
    }
    if (auth.role === 'mentor') {
      const pending = (people.mentees ?? []).reduce((sum, m) => sum + m.pending, 0)
      return { activitySummary: { pending, trips: await upcomingTrips(auth, people.mentees?.map((m) => m.userId)), milestones: upcomingMilestones(auth) } }
    }
    const totals = people.totals ?? await services.progress.totals(actor.courseId)
    return { activitySummary: { term: actor.term, students: totals.members.student, active: totals.activeStudents, pending: totals.pending, milestones: upcomingMilestones(auth) } }
  }
}
