import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { authOf } from '../../auth/require-session'
import { FormBody } from '../../http/forms'
import type { PairingRoutesOptions } from './index'
import { pageAction } from './page-actions'
import { ChangeForm, DecideForm, RepublishForm, SessionBody, UnpublishForm } from './schemas'

/**
 * What the instructor can do to a published pairing from the page: pair the students without a mentor, move or
 * swap a pair, preview and apply a re-pair of everyone, answer rematch requests, unpublish within the grace period.
 */
export const publishedPairingPages: FastifyPluginAsync<PairingRoutesOptions> = async (app, options) => {
  const { requireRole, placeUnpaired, published, rematch } = options
  const api = app.withTypeProvider<ZodTypeProvider>()
  const form = { schema: { hide: true, body: FormBody }, preHandler: requireRole('instructor') }
  const act = pageAction(options)
  const courseOf = (request: FastifyRequest): string => String(authOf(request).course._id)
  const userOf = (request: FastifyRequest): string => String(authOf(request).user._id)

  api.post('/instructor/pairing/place-unpaired', form, async (request, reply) => await act(request, reply, SessionBody, async () => {
    const report = await placeUnpaired(courseOf(request), userOf(request))
    if (report.placed.length > 0) return { notice: 'placed', n: report.placed.length, anchor: 'changes-title' }
    return { notice: report.unplaced.length > 0 ? 'noneMore' : 'allPaired', anchor: 'unpaired-title' }
  }))
  api.post('/instructor/pairing/change', form, async (request, reply) => await act(request, reply, ChangeForm, async (change) => {
    if (change.action === 'move') await published.move(courseOf(request), userOf(request), change.studentId, change.mentorId, change.reason)
    else await published.swap(courseOf(request), userOf(request), change.studentId, change.otherStudentId, change.reason)
    return { notice: change.action === 'move' ? 'moved' : 'swapped', anchor: 'change-title' }
  }))
  api.post('/instructor/pairing/repair-preview', form, async (request, reply) => await act(request, reply, SessionBody, async () => {
    const { changes } = await published.previewRepair(courseOf(request), userOf(request))
    return { notice: 'repairPreviewed', n: changes.length, anchor: 'repair-title' }
  }))
  api.post('/instructor/pairing/republish', form, async (request, reply) => await act(request, reply, RepublishForm, async ({ runId, reason }) => {
    const applied = await published.republish(courseOf(request), userOf(request), runId, reason)
    return { notice: 'republished', n: applied.length, anchor: 'repair-title' }
  }))
  api.post('/instructor/pairing/unpublish', form, async (request, reply) => await act(request, reply, UnpublishForm, async ({ reason }) => {
    const n = await published.unpublish(courseOf(request), userOf(request), reason)
    return { notice: 'unpublished', n }
  }))
  api.post('/instructor/pairing/requests', form, async (request, reply) => await act(request, reply, DecideForm, async (decision) => {
    if (decision.decision === 'accept') await rematch.accept(courseOf(request), userOf(request), decision.requestId, decision.mentorId ?? '', decision.note)
    else await rematch.decline(courseOf(request), userOf(request), decision.requestId, decision.note)
    return { notice: decision.decision === 'accept' ? 'accepted' : 'declined', anchor: 'requests-title' }
  }))
}
