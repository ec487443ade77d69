import type { FastifyPluginAsync } from 'fastify'
import type { Auth, RequireRole } from '../auth/require-session'
import type { TenancyRepository } from '../persistence/repositories/tenancy.repository'
import { pageContext } from './page-context'

export interface HomeRoutesOptions { requireRole: RequireRole, tenancy: TenancyRepository }

function setupChecklist (auth: Auth, mentors: number) {
  const gradesReady = auth.course.agsScopes.some((s) => s.endsWith('/scope/score'))
  const step = (label: string, done: boolean, hint: string, blocked = false) => ({
    label, hint, state: done ? 'done' : blocked ? 'blocked' : 'todo', stateLabel: done ? 'Done' : blocked ? 'Needs the LMS' : 'To do'
  })
  return [
    step('Mentor pool', false, mentors > 0 ? `${mentors} course members have the Mentor role; add them and external mentors to the pool.` : 'Add the mentors who will take part.'),
    step('Term dates', false, 'Set when the programme starts and ends.'),
    step('Completion rules', false, 'Decide what completing the programme means.'),
    step('Pairing', false, 'Pair every student with a mentor, preview, then publish.'),
    step('Grade passback', gradesReady, gradesReady ? 'Your LMS lets Mentorlink send completion grades.' : 'Enable grade services for Mentorlink in your LMS so completion reaches the gradebook.', !gradesReady)
  ]
}

/** Each role's landing page after a launch. */
export const homeRoutes: FastifyPluginAsync<HomeRoutesOptions> = async (app, { requireRole, tenancy }) => {
  const hide = { hide: true }
  app.get('/instructor', { schema: hide, preHandler: requireRole('instructor') }, async (request, reply) => {
    const auth = request.auth as Auth
    const counts = await tenancy.countMembersByRole(auth.course._id)
    return await reply.view('pages/instructor-home', {
      ...pageContext(auth, 'Instructor home', 'home'),
      checklist: setupChecklist(auth, counts.mentor),
      counts: [
        { label: 'Students', value: counts.student },
        { label: 'Mentors (LMS)', value: counts.mentor },
        { label: 'Instructors', value: counts.instructor }
      ]
    })
  })
  app.get('/mentor', { schema: hide, preHandler: requireRole('mentor') }, async (request, reply) =>
    await reply.view('pages/mentor-home', pageContext(request.auth as Auth, 'Mentor home', 'home')))
  app.get('/student', { schema: hide, preHandler: requireRole('student') }, async (request, reply) =>
    await reply.view('pages/student-home', pageContext(request.auth as Auth, 'Student home', 'home')))
}
