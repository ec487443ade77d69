import type { Auth } from '../../auth/require-session'
import type { AssessmentService } from '../../domain/competencies/assessment-service'
import type { AssessmentPoint, PointState } from '../../domain/competencies/assessment-points'
import type { HomePeople } from '../completion/home-progress'
import { actorOf } from '../activities/actor'

/** What the prompt says of one point the viewer has yet to rate: open until its due day, or overdue (still accepted). */
const pointLine = ({ point, state }: { point: AssessmentPoint, state: PointState }) => ({ label: point.label, due: point.due, overdue: state === 'overdue' })

/**
 * The home pages' prompt for assessments the viewer has yet to submit: a student's own open points, a mentor's
 * mentees with open points they have not rated. From the assessments the home page read (no read of its own).
 * Nothing for instructors (the Growth page lists what is late).
 */
export function assessmentHomePrompt ({ assessments }: { assessments: Pick<AssessmentService, 'toRate'> }) {
  return async (auth: Auth, people: HomePeople = {}): Promise<Record<string, unknown>> => {
    const { term, userId } = actorOf(auth)
    const submitted = people.assessments ?? []
    if (term === null || auth.role === 'instructor') return {}
    if (auth.role === 'student') {
      const points = assessments.toRate(term, submitted, userId, 'self').map(pointLine)
      return points.length === 0 ? {} : { assessmentsToDo: { points, href: '/student/assessments' } }
    }
    const toRate = (people.mentees ?? [])
      .map((m) => ({ name: m.name, href: `/mentor/mentees/${m.userId}/assessments`, points: assessments.toRate(term, submitted, m.userId, 'mentor').map(pointLine) }))
      .filter((m) => m.points.length > 0)
    return toRate.length === 0 ? {} : { assessmentsToRate: toRate }
  }
}
