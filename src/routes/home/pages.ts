import type { FastifyPluginAsync } from 'fastify'
import { authOf, type Auth, type RequireRole } from '../../auth/require-session'
import type { PairingRepository } from '../../persistence/repositories/pairing.repository'
import { termOf } from '../../domain/term/term'
import type { Assessment } from '../../domain/competencies/ports'
import type { Id } from '../../domain/ids'
import type { ProgressReadModel } from '../../domain/progress/progress-read-model'
import { pageContext } from '../../http/page-context'
import type { HomePeople } from '../completion/home-progress'
import { mentorPhotoPath } from '../pools/mentor-photo-path'

export interface HomeRoutesOptions {
  requireRole: RequireRole
  pairings: PairingRepository
  /** What the home pages show of students' progress, read by id. */
  progress: Pick<ProgressReadModel, 'student' | 'mentees' | 'totals'>
  countActiveMentors: (course: Auth['course']) => Promise<number>
  /** The role's summary of mentoring activities (routes/activities/home-summary.ts). */
  activitySummary?: (auth: Auth, people: HomePeople) => Promise<Record<string, unknown>>
  /** Progress towards completion: a student's own, a mentor's mentees' (routes/completion/home-progress.ts). */
  completionProgress?: (auth: Auth, people: HomePeople) => Promise<Record<string, unknown>>
  /** Assessments a student or mentor has yet to submit at the open points (routes/growth/home-prompt.ts). */
  assessmentPrompt?: (auth: Auth, people: HomePeople) => Promise<Record<string, unknown>>
  /** The submitted assessments of some students, read once for the prompt and for completion. */
  assessmentsOf?: (courseId: Id, studentUserIds: readonly Id[]) => Promise<Assessment[]>
  /** Whether the instructor has saved completion rules (until then no grade is sent). */
  hasSavedRules: (courseId: Id) => Promise<boolean>
}

function setupChecklist (auth: Auth, mentors: number, published: boolean, activeMentors: number, rulesSaved: boolean) {
  const gradesReady = auth.course.agsScopes.some((s) => s.endsWith('/scope/score'))
  const term = termOf(auth.course)
  const step = (label: string, done: boolean, hint: string, blocked = false) => ({
    label, hint, state: done ? 'done' : blocked ? 'blocked' : 'todo', stateLabel: done ? 'Done' : blocked ? 'Needs the LMS' : 'To do'
  })
  return [
    step('Mentor pool', activeMentors > 0, activeMentors > 0 ? `${activeMentors} active mentors in the pool.` : mentors > 0 ? `${mentors} course members have the Mentor role; add them and external mentors to the pool.` : 'Add the mentors who will take part.'),
    step('Term dates', term !== null, term ? `${term.start} to ${term.end}.` : 'Set when the programme starts and ends.'),
    step('Completion rules', rulesSaved, rulesSaved ? 'Saved: grades go to the LMS gradebook as students progress.' : 'Decide what completing the programme means.'),
    step('Pairing', published, published ? 'Published: late students are paired automatically.' : 'Pair every student with a mentor, preview, then publish.'),
    step('Grade passback', gradesReady, gradesReady ? 'Your LMS lets Mentorlink send completion grades.' : 'Enable grade services for Mentorlink in your LMS so completion reaches the gradebook.', !gradesReady)
  ]
}

/** Each role's landing page after a launch. */
export const homeRoutes: FastifyPluginAsync<HomeRoutesOptions> = async (app, { requireRole, pairings, progress, countActiveMentors, activitySummary, completionProgress, assessmentPrompt, assessmentsOf, hasSavedRules }) => {
  const hide = { hide: true }
  const summary = async (auth: Auth, people: HomePeople = {}) => {
    const [activities, completion, assessments] = await Promise.all([activitySummary?.(auth, people), completionProgress?.(auth, people), assessmentPrompt?.(auth, people)])
    return { ...activities ?? {}, ...completion ?? {}, ...assessments ?? {} }
  }
  app.get('/instructor', { schema: hide, preHandler: requireRole('instructor') }, async (request, reply) => {
    const auth = authOf(request)
    const [totals, published, activeMentors, rulesSaved] = await Promise.all([
      progress.totals(String(auth.course._id)), pairings.isPublished(auth.course._id), countActiveMentors(auth.course), hasSavedRules(String(auth.course._id))
    ])
    const counts = totals.members
    return await reply.view('pages/instructor-home', {
      ...pageContext(auth, 'Instructor home', 'home'),
      ...await summary(auth, { totals }),
      checklist: setupChecklist(auth, counts.mentor, published, activeMentors, rulesSaved),
      counts: [
        { label: 'Students', value: counts.student },
        { label: 'Mentors (LMS)', value: counts.mentor },
        { label: 'Instructors', value: counts.instructor }
      ]
    })
  })
  app.get('/mentor', { schema: hide, preHandler: requireRole('mentor') }, async (request, reply) => {
    const auth = authOf(request)
    const mentorIds = await pairings.mentorIdsInPool(auth.course.poolId, auth.user._id)
    const lines = await progress.mentees(String(auth.course._id), mentorIds.map(String))
    const mentees = [...lines].map(([userId, line]) => ({ userId, ...line })).sort((a, b) => a.name.localeCompare(b.name))
    const assessments = await assessmentsOf?.(String(auth.course._id), mentees.map((m) => m.userId))
    return await reply.view('pages/mentor-home', { ...pageContext(auth, 'Mentor home', 'home'), ...await summary(auth, { mentees, ...assessments ? { assessments } : {} }), mentees })
  })
  app.get('/student', { schema: hide, preHandler: requireRole('student') }, async (request, reply) => {
    const auth = authOf(request)
    const [own, assessments] = await Promise.all([progress.student(String(auth.course._id), String(auth.user._id)), assessmentsOf?.(String(auth.course._id), [String(auth.user._id)])])
    const [mentor, summarised] = await Promise.all([own.mentorId === null ? null : pairings.mentorById(own.mentorId), summary(auth, { own: own.input, ...assessments ? { assessments } : {} })])
    const photoHref = mentor?.photoAt ? mentorPhotoPath(String(mentor._id), mentor.photoAt) : null
    return await reply.view('pages/student-home', { ...pageContext(auth, 'Student home', 'home'), ...summarised, mentor, photoHref })
  })
}
