import { randomUUID } from 'node:crypto'
import type { Id } from '../ids'
import { AGS_SCOPE, type AgsPort, type GradedCourse, type GradeSyncStore, type LineItemGoneHandler, type LineItemResolver } from './ports'

export const LINE_ITEM_LABEL = 'Mentoring programme completion'
export const LINE_ITEM_TAG = 'mentorlink'

/** The course cannot take grades as the LMS set it up: nothing to retry until the LMS changes. */
export class PassbackUnavailable extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'PassbackUnavailable'
  }
}

/** Why grades cannot go to this course's gradebook, or null when they can. */
export function passbackUnavailableReason (course: Pick<GradedCourse, 'agsScopes' | 'lineItemUrl' | 'lineItemsUrl'>): string | null {
  if (!course.agsScopes.includes(AGS_SCOPE.score)) return 'The LMS has not let Mentorlink send scores for this course (no Assignment and Grade Services score scope).'
  if (!course.lineItemUrl && !course.lineItemsUrl) return 'The LMS has offered no gradebook column and no line items service for this course.'
  if (!course.lineItemUrl && !course.agsScopes.includes(AGS_SCOPE.lineItem)) return 'The LMS has not let Mentorlink create its gradebook column: link Mentorlink as a graded assignment, or grant the line item scope.'
  return null
}

/**
 * The line item a course's scores go to: the one the LMS named at launch, else the one Mentorlink found or created
 * earlier, else one found by tag or created now, under a lease on the course so two processes never create
 * two. A process that finds the claim taken fails this time; its caller retries later.
 */
export function createLineItemResolver ({ ags, syncs, claimMs = 60_000 }: { ags: Pick<AgsPort, 'findLineItems' | 'createLineItem'>, syncs: GradeSyncStore, claimMs?: number }): LineItemResolver {
  return async (course: GradedCourse, scoreMaximum: number): Promise<string> => {
    const reason = passbackUnavailableReason(course)
    if (reason !== null) throw new PassbackUnavailable(reason)
    const state = await syncs.find(course.id)
    if (course.lineItemUrl) {
      if (state?.lineItemUrl !== course.lineItemUrl) await syncs.useLineItem(course.id, course.lineItemUrl, 'launch')
      return course.lineItemUrl
    }
    if (state?.lineItemUrl) return state.lineItemUrl
    const lineItemsUrl = course.lineItemsUrl as string
    const owner = randomUUID()
    if (!await syncs.claimLineItem(course.id, owner, claimMs)) {
      const created = (await syncs.find(course.id))?.lineItemUrl
      if (created) return created
      throw new Error('another process is creating the gradebook column; trying again shortly')
    }
    try {
      const platform = { issuer: course.issuer, clientId: course.clientId }
      const resourceLinkId = state?.resourceLinkId ?? undefined
      // A platform still listing the line item it answered 404 for must not send the scores back to it.
      const found = (await ags.findLineItems(platform, [AGS_SCOPE.lineItem], lineItemsUrl, { tag: LINE_ITEM_TAG, resource_link_id: resourceLinkId }))
        .find((item) => item.tag === LINE_ITEM_TAG && item.id !== state?.goneLineItemUrl)
      const url = found?.id ?? (await ags.createLineItem(platform, lineItemsUrl, {
        label: LINE_ITEM_LABEL, scoreMaximum, tag: LINE_ITEM_TAG, ...(resourceLinkId ? { resourceLinkId } : {})
      })).id
      if (!await syncs.setLineItem(course.id, owner, url, found ? 'found' : 'created')) throw new Error('the claim on the gradebook column expired while it was being created')
      return url
    } catch (err) {
      await syncs.releaseLineItem(course.id, owner, (err as Error).message)
      throw err
    }
  }
}

/**
 * What becomes of scores whose line item the LMS deleted. The column Mentorlink found or created is forgotten and the
 * course marked for a recompute, which finds or creates another (as the first time) and queues every score for it;
 * the scores sent to the old one are dropped. A column the LMS named (the instructor chose it) is not replaced behind
 * the instructor's back: its scores are held, and the Grades page says why. Scores failing together share one look.
 */
export function createLineItemRecovery ({ syncs }: { syncs: Pick<GradeSyncStore, 'find' | 'lineItemGone' | 'markDirty'> }): LineItemGoneHandler {
  const looking = new Map<string, Promise<'resend' | 'held'>>()
  const recover = async (courseId: Id, lineItemUrl: string): Promise<'resend' | 'held'> => {
    const state = await syncs.find(courseId)
    // The course has moved on to another column already: the recompute that did it queued every score there.
    if (state?.lineItemUrl !== lineItemUrl) return 'resend'
    const held = state.lineItemSource === 'launch'
    if (held && state.goneLineItemUrl === lineItemUrl) return 'held'
    await syncs.lineItemGone(courseId, lineItemUrl, { forget: !held })
    if (held) return 'held'
    await syncs.markDirty(courseId)
    return 'resend'
  }
  return async ({ courseId, lineItemUrl }) => {
    const key = `${courseId}\n${lineItemUrl}`
    let outcome = looking.get(key)
    if (outcome === undefined) {
      outcome = recover(courseId, lineItemUrl).finally(() => looking.delete(key))
      looking.set(key, outcome)
    }
    return await outcome
  }
}
