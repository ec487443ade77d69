import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type Auth, type RequireRole } from '../../auth/require-session'
import { redirectWithNotice } from '../../http/forms'
import { objectIdString } from '../../http/schemas'
import type { PairingWorkflowRepository } from '../../persistence/repositories/pairing-workflow.repository'
import { pageContext } from '../../http/page-context'

const MAX_RANKED = 5
const tagList = z.string().max(600).transform((s) => [...new Set(s.split(',').map((t) => t.trim()).filter(Boolean))])
  .pipe(z.array(z.string().max(40, 'each interest must be at most 40 characters')).max(20, 'at most 20 interests'))

const IntakeBody = z.object({
  session: z.string().optional(),
  interests: tagList,
  organisation: z.string().trim().max(120).default(''),
  shortTermGoal: z.string().trim().max(300, 'at most 300 characters').default(''),
  longTermGoal: z.string().trim().max(300, 'at most 300 characters').default(''),
  ...Object.fromEntries(Array.from({ length: MAX_RANKED }, (_, i) => [`choice${i + 1}`, z.union([z.literal(''), objectIdString], { error: 'must be a mentor from the list' }).default('')]))
})

/** The student's intake before pairing: interests, goals and an optional ranking of pool mentors. */
export const studentIntakeRoutes: FastifyPluginAsync<{ requireRole: RequireRole, store: PairingWorkflowRepository }> = async (app, { requireRole, store }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const student = requireRole('student')

  const render = async (auth: Auth, values: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const mentors = await store.mentorProfiles(String(auth.course._id))
    const ranked = Array.from({ length: MAX_RANKED }, (_, i) => {
      const chosen = values[`choice${i + 1}`]
      return { name: `choice${i + 1}`, label: `Choice ${i + 1}`, options: mentors.map((m) => ({ ...m, selected: m.id === chosen })) }
    })
    return { ...pageContext(auth, 'Your intake', 'intake'), mentors, ranked, values, ...extra }
  }

  api.get('/student/intake', { schema: { hide: true }, preHandler: student }, async (request, reply) => {
    const auth = authOf(request)
    const intake = await store.intakeOf(String(auth.course._id), String(auth.user._id))
    const values: Record<string, unknown> = {
      interests: intake?.interests.join(', ') ?? '', organisation: intake?.organisation ?? '',
      shortTermGoal: intake?.shortTermGoal ?? '', longTermGoal: intake?.longTermGoal ?? '',
      ...Object.fromEntries((intake?.ranking ?? []).map((id, i) => [`choice${i + 1}`, String(id)]))
    }
    const saved = (request.query as { notice?: string }).notice === 'saved'
    return await reply.view('pages/student-intake', await render(auth, values, { saved }))
  })

  api.post('/student/intake', { schema: { hide: true, body: IntakeBody }, preHandler: student }, async (request, reply) => {
    const auth = authOf(request)
    const body = request.body as z.infer<typeof IntakeBody> & Record<string, string>
    const ranking = Array.from({ length: MAX_RANKED }, (_, i) => body[`choice${i + 1}`] ?? '').filter(Boolean)
    const known = new Set((await store.mentorProfiles(String(auth.course._id))).map((m) => m.id))
    const errors: Record<string, string> = {}
    ranking.forEach((id, i) => {
      if (!known.has(id)) errors[`choice${i + 1}`] = 'is not an active mentor of this course'
      else if (ranking.indexOf(id) !== i) errors[`choice${i + 1}`] = 'repeats an earlier choice'
    })
    if (Object.keys(errors).length > 0) {
      reply.status(400)
      return await reply.view('pages/student-intake', await render(auth, { ...body, interests: body.interests.join(', ') }, { errors }))
    }
    await store.saveIntake(String(auth.course._id), String(auth.user._id), {
      interests: body.interests, organisation: body.organisation, shortTermGoal: body.shortTermGoal, longTermGoal: body.longTermGoal, ranking
    })
    return await redirectWithNotice(reply, auth, '/student/intake', 'saved')
  })
}
