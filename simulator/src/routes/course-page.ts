import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import type { SimulatorContext } from '../context'
import { oauthErrorHandler, SimulatorError, validate } from '../errors'
import { escapeHtml } from '../html-form'
import { launchQuerySchema } from '../launch-request'
import { FRAME_RESIZE_SCRIPT } from '../frame-resize-script'
import { PLATFORM_STORAGE_SCRIPT } from '../platform-storage-script'

const params = z.object({ courseId: z.string().min(1) })
const query = launchQuerySchema.omit({ course: true })

/**
 * A course page with the tool in an iframe, as Canvas and Moodle embed tools. The frame starts a launch through
 * /launch; this page answers the tool's LTI Platform Storage messages and, like Canvas, its `lti.frameResize`.
 */
export function coursePageRoutes (ctx: SimulatorContext): FastifyPluginAsync {
  return async (app) => {
    app.setErrorHandler(oauthErrorHandler)

    app.get('/course/:courseId', async (request, reply) => {
      const { courseId } = validate(params, request.params)
      const q = validate(query, request.query)
      const course = ctx.state.courses.get(courseId)
      if (course === undefined) throw new SimulatorError(404, 'courseId: unknown course', 'courseId')
      const launch = new URLSearchParams({ ...Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)), course: courseId })
      const who = ctx.state.users.get(q.user)?.name ?? q.user
      return await reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(course.label)}: ${escapeHtml(course.title)}</title></head>
<body>
  <h1>${escapeHtml(course.label)}: ${escapeHtml(course.title)}</h1>
  <p>Signed in to the LMS simulator as ${escapeHtml(who)}</p>
  <iframe id="tool-frame" name="tool-frame" title="Tool" src="/launch?${escapeHtml(launch.toString())}" style="width:100%;height:720px;border:1px solid #999"></iframe>
  <script>${PLATFORM_STORAGE_SCRIPT}</script>${ctx.profile.resizesToolFrame ? `\n  <script>${FRAME_RESIZE_SCRIPT}</script>` : ''}
</body>
</html>
`)
    })
  }
}
