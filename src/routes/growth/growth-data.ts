import type { Auth } from '../../auth/require-session'
import type { FollowUp } from '../../domain/competencies/assessment-service'
import { courseGrowth, type CompetencyGrowth, type RatingRow } from '../../domain/competencies/growth-statistics'
import type { Assessment } from '../../domain/competencies/ports'
import type { Side } from '../../domain/competencies/vocabulary'
import type { Framework } from '../../domain/competencies/framework-service'
import type { Id } from '../../domain/ids'
import type { GrowthServices } from '../../services'
import { actorOf } from '../activities/actor'

export const ratingRowsOf = (assessments: readonly Assessment[]): RatingRow[] =>
  assessments.flatMap((a) => a.ratings.map((r) => ({ studentUserId: a.studentUserId, point: a.point, side: a.side, competency: r.competency, level: r.level })))

/** What the instructor's growth figures are computed from: the framework, the course's assessments and its people. */
export async function loadCourse (growth: GrowthServices, auth: Auth) {
  const actor = actorOf(auth)
  const [framework, assessments, table] = await Promise.all([growth.frameworks.current(actor.courseId), growth.assessments.ofCourse(actor), growth.table(actor.courseId)])
  const students = [...table].filter(([, row]) => row.role === 'student' && !row.testUser)
  const counted = new Set(students.map(([id]) => id))
  const names = new Map<Id, string>([...table].map(([id, row]) => [id, row.name || row.email || 'Unnamed']))
  return {
    actor,
    framework,
    assessments: assessments.filter((a) => counted.has(a.studentUserId)),
    names,
    activeStudents: students.filter(([, row]) => row.active).map(([userId, row]) => ({ userId, paired: row.mentorId !== null, mentorId: row.mentorId }))
  }
}

export function growthOf (framework: Framework, assessments: readonly Assessment[], side: Side): CompetencyGrowth[] {
  return courseGrowth(framework.competencies, ratingRowsOf(assessments), side)
}

export function followUpsOf (growth: GrowthServices, course: Awaited<ReturnType<typeof loadCourse>>): FollowUp[] {
  return growth.assessments.followUps(course.actor.term, course.assessments, course.activeStudents)
}
