import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { authOf, type Auth } from '../../auth/require-session'
import type { FieldError } from '../../domain/pools/field-errors'
import { OWN_PROFILE_FIELDS, OwnProfileForm } from '../../domain/pools/mentor-fields'
import { Errors } from '../../errors'
import { FormBody, noticeQuery, noticeText, redirectWithNotice, submit, textValues } from '../../http/forms'
import { pageContext } from '../../http/page-context'
import type { PoolApiOptions } from './api'
import { formValuesOf, mentorFormView } from './mentor-form-view'
import { poolCourseOf } from './pool-course'

const NOTICES = { saved: 'Your profile is saved. Your mentees see it as it is now.' }
const PageQuery = noticeQuery(NOTICES)
const PATH = '/mentor/profile'

/** A mentor's own profile as their mentees see it: organisation, job title, expertise and bio. */
export const ownProfilePageRoutes: FastifyPluginAsync<PoolApiOptions> = async (app, { requireRole, pools: { poolService } }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const preHandler = requireRole('mentor')
  const schema = { hide: true }
  const ownEntry = async (auth: Auth) => {
    const mentor = await poolService.ownEntry(poolCourseOf(auth), String(auth.user._id))
    if (mentor === null) throw Errors.notFound('Your entry in this course\'s mentor pool')
    return mentor
  }
  const render = async (reply: FastifyReply, auth: Auth, values: Record<string, string>, errors: FieldError[], status = 200, notice?: string) =>
    await reply.code(status).view('pages/mentor-profile', {
      ...pageContext(auth, errors.length > 0 ? 'Error: Your profile' : 'Your profile', 'profile'),
      notice,
      action: PATH,
      submitLabel: 'Save my profile',
      ...mentorFormView(values, errors, OWN_PROFILE_FIELDS)
    })

  api.get(PATH, { schema: { ...schema, querystring: PageQuery }, preHandler }, async (request, reply) => {
    const auth = authOf(request)
    return await render(reply, auth, formValuesOf(await ownEntry(auth)), [], 200, noticeText(NOTICES, request.query))
  })

  api.post(PATH, { schema: { ...schema, body: FormBody }, preHandler }, async (request, reply) => {
    const auth = authOf(request)
    const mentor = await ownEntry(auth)
    const values = textValues(request.body)
    const refused = await submit(OwnProfileForm, values, async (changes) => await poolService.update(poolCourseOf(auth), mentor.id, changes))
    if (refused) return await render(reply, auth, values, refused.errors, refused.status)
    return await redirectWithNotice(reply, auth, PATH, 'saved')
  })
}
