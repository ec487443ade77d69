import type { Auth } from '../../auth/require-session'
import type { AssessmentService, PointView } from '../../domain/competencies/assessment-service'
import type { HomePeople } from '../completion/home-progress'
import { actorOf } from '../activities/actor'

/** What the prompt says of one point the viewer has yet to rate: open until its due day, or overdue (still accepted). */
const pointLine = (v: PointView) => ({ label: v.point.label, due: v.point.due, overdue: v.state === 'overdue' })

/**
 * The home pages' prompt for assessments the viewer has yet to submit: a student's own open points, a mentor's
 * mentees with open points they have not rated. Nothing for instructors (the Growth page lists what is late).
 */
export function assessmentHomePrompt ({ assessments }: { assessments: Pick<AssessmentService, 'view'> }) {
  return async (auth: Auth, people: HomePeople = {}): Promise<Record<string, unknown>> => {
    const actor = actorOf(auth)
    if (actor.term === null || auth.role === 'instructor') return {}
    const open = (v: PointView): boolean => v.state !== 'upcoming'
    if (auth.role === 'student') {
      const points = (await assessments.view(actor, actor.userId)).filter((v) => open(v) && !v.self.submitted).map(pointLine)
      return points.length === 0 ? {} : { assessmentsToDo: { points, href: '/student/assessments' } }
    }
    const mentees = await Promise.all((people.mentees ?? []).map(async (m) => ({
      name: m.name,
      href: `/mentor/mentees/${m.userId}/assessments`,
      points: (await assessments.view(actor, m.userId)).filter((v) => open(v) && !v.mentor.submitted).map(pointLine)
    })))
    const toRate = mentees.filter((m) => m.points.length > 0)
    return toRate.length === 0 ? {} : { assessmentsToRate: toRate }
  }
}
