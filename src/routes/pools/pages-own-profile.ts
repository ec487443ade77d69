import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { authOf, type Auth } from '../../auth/require-session'
import type { FieldError } from '../../domain/pools/field-errors'
import { OWN_PROFILE_FIELDS, OwnProfileForm } from '../../domain/pools/mentor-fields'
import { Errors } from '../../errors'
import { FormBody, noticeQuery, noticeText, redirectWithNotice, submit, textValues } from '../../http/forms'
import { pageContext } from '../../http/page-context'
import multipart from '@fastify/multipart'
import type { PoolApiOptions } from './api'
import { mentorPhotoPath } from './mentor-photo-path'
import { formValuesOf, mentorFormView } from './mentor-form-view'
import { poolCourseOf } from './pool-course'

const NOTICES = {
  saved: 'Your profile is saved. Your mentees see it as it is now.',
  photo: 'Your photo is saved. Your mentees and the course\'s instructors see it next to your name.',
  'photo-removed': 'Your photo is removed.'
}
const PageQuery = noticeQuery(NOTICES)
const PATH = '/mentor/profile'
/** Larger files are cut off while they arrive; up to this, a file over the photo limit is refused in plain words. */
const UPLOAD_LIMIT = 5 * 1024 * 1024

/** A mentor's own profile as their mentees see it: organisation, job title, expertise and bio. */
export const ownProfilePageRoutes: FastifyPluginAsync<PoolApiOptions> = async (app, { requireRole, pools: { poolService, photos } }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const preHandler = requireRole('mentor')
  const schema = { hide: true }
  const ownEntry = async (auth: Auth) => {
    const mentor = await poolService.ownEntry(poolCourseOf(auth), String(auth.user._id))
    if (mentor === null) throw Errors.notFound('Your entry in this course\'s mentor pool')
    return mentor
  }
  const render = async (reply: FastifyReply, auth: Auth, values: Record<string, string>, errors: FieldError[], status = 200, notice?: string, photoError?: string) =>
    await reply.code(status).view('pages/mentor-profile', {
      ...pageContext(auth, errors.length > 0 || photoError !== undefined ? 'Error: Your profile' : 'Your profile', 'profile'),
      notice,
      photoError,
      photoHref: await photoHrefOf(auth),
      action: PATH,
      submitLabel: 'Save my profile',
      ...mentorFormView(values, errors, OWN_PROFILE_FIELDS)
    })

  const photoHrefOf = async (auth: Auth): Promise<string | null> => {
    const own = await poolService.ownEntry(poolCourseOf(auth), String(auth.user._id))
    return own?.photoAt ? mentorPhotoPath(own.id, own.photoAt) : null
  }

  // The photo comes as multipart/form-data, parsed in this scope only (its session field with it, for requireRole).
  await app.register(async (upload) => {
    await upload.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: UPLOAD_LIMIT, files: 1, fields: 4, parts: 5 } })
    upload.post(`${PATH}/photo`, { schema, preHandler }, async (request, reply) => {
      const auth = authOf(request)
      const photo = (request.body as Record<string, unknown> | undefined)?.photo
      const problem = await photos.set(poolCourseOf(auth), String(auth.user._id), Buffer.isBuffer(photo) ? photo : Buffer.alloc(0))
      if (problem !== null) return await render(reply, auth, formValuesOf(await ownEntry(auth)), [], 400, undefined, problem)
      return await redirectWithNotice(reply, auth, `${PATH}#photo-title`, 'photo')
    })
  })

  api.post(`${PATH}/photo/remove`, { schema: { ...schema, body: FormBody }, preHandler }, async (request, reply) => {
    const auth = authOf(request)
    await photos.remove(poolCourseOf(auth), String(auth.user._id))
    return await redirectWithNotice(reply, auth, `${PATH}#photo-title`, 'photo-removed')
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
