import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { issuerOf, serviceUrl, type SimulatorContext } from './context'
import { SimulatorError } from './errors'
import { findMember, purgeExpired, type PendingLaunch } from './state'
import type { LaunchParams } from './types'

const HINT_TTL_MS = 5 * 60 * 1000

/** The /launch query string; LaunchParams use the camelCase names. */
export const launchQuerySchema = z.object({
  client_id: z.string().min(1),
  deployment_id: z.string().min(1),
  course: z.string().min(1),
  user: z.string().min(1),
  resource_link: z.string().min(1).optional(),
  resource_link_title: z.string().min(1).optional(),
  message_type: z.enum(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest']).optional(),
  target_link_uri: z.url().optional(),
  line_item: z.string().min(1).optional()
})

export function launchParamsFromQuery (q: z.infer<typeof launchQuerySchema>): LaunchParams {
  return {
    clientId: q.client_id,
    deploymentId: q.deployment_id,
    courseId: q.course,
    userId: q.user,
    resourceLinkId: q.resource_link,
    resourceLinkTitle: q.resource_link_title,
    messageType: q.message_type,
    targetLinkUri: q.target_link_uri,
    lineItemId: q.line_item
  }
}

/** Full line item URL from a short id or URL; else the line item bound to the resource link, if any. */
function resolveLineItemUrl (ctx: SimulatorContext, p: LaunchParams, resourceLinkId?: string): string | undefined {
  if (p.lineItemId !== undefined) {
    if (p.lineItemId.includes('://')) return p.lineItemId
    return ctx.state.lineItems.get(p.lineItemId)?.id ?? serviceUrl(ctx, 'lineItem', { courseId: p.courseId, id: p.lineItemId, typeId: p.deploymentId })
  }
  if (resourceLinkId === undefined) return undefined
  for (const item of ctx.state.lineItems.values()) {
    if (item.courseId === p.courseId && item.resourceLinkId === resourceLinkId) return item.id
  }
  return undefined
}

function checkLaunchable (ctx: SimulatorContext, p: LaunchParams) {
  const { state } = ctx
  const tool = state.tools.get(p.clientId)
  if (tool === undefined) throw new SimulatorError(400, 'client_id: no tool registered with this client id', 'client_id')
  if (!tool.deploymentIds.includes(p.deploymentId)) {
    throw new SimulatorError(400, 'deployment_id: not a deployment of this tool', 'deployment_id')
  }
  if (!state.courses.has(p.courseId)) throw new SimulatorError(404, 'course: unknown course', 'course')
  if (!state.users.has(p.userId)) throw new SimulatorError(404, 'user: unknown user', 'user')
  if (findMember(state, p.courseId, p.userId)?.status !== 'Active') {
    throw new SimulatorError(403, 'user: not an active member of the course', 'user')
  }
  return tool
}

/** The launch these parameters describe, checked as a login would check it, not yet registered. */
export function pendingLaunchOf (ctx: SimulatorContext, p: LaunchParams): { tool: ReturnType<typeof checkLaunchable>, launch: PendingLaunch } {
  const tool = checkLaunchable(ctx, p)
  const messageType = p.messageType ?? 'LtiResourceLinkRequest'
  const resourceLink = messageType === 'LtiResourceLinkRequest'
    ? { id: p.resourceLinkId ?? `rl-${p.courseId}`, title: p.resourceLinkTitle ?? 'Mentorlink' }
    : undefined
  const launch: PendingLaunch = {
    clientId: p.clientId,
    deploymentId: p.deploymentId,
    courseId: p.courseId,
    userId: p.userId,
    messageType,
    targetLinkUri: p.targetLinkUri ?? tool.targetLinkUri,
    resourceLink,
    lineItemUrl: resolveLineItemUrl(ctx, p, resourceLink?.id),
    expiresAt: Date.now() + HINT_TTL_MS
  }
  return { tool, launch }
}

/**
 * Registers a pending launch and builds the third-party login initiation a platform sends.
 * The lti_message_hint is a random single-use handle; the launch context stays server side.
 * Canvas offers Platform Storage (`lti_storage_target`) on every login and adds its region and environment.
 */
export function createLaunchRequest (ctx: SimulatorContext, p: LaunchParams): { loginUrl: string, params: Record<string, string> } {
  const { tool, launch } = pendingLaunchOf(ctx, p)
  const targetLinkUri = launch.targetLinkUri
  purgeExpired(ctx.state.pendingLaunches, l => l.expiresAt)
  const hint = randomBytes(24).toString('base64url')
  ctx.state.pendingLaunches.set(hint, launch)
  return {
    loginUrl: tool.loginUrl,
    params: {
      iss: issuerOf(ctx),
      login_hint: p.userId,
      target_link_uri: targetLinkUri,
      lti_message_hint: hint,
      client_id: p.clientId,
      lti_deployment_id: p.deploymentId,
      ...ctx.profile.loginParams,
      ...((tool.platformStorage === true || ctx.profile.alwaysOffersPlatformStorage) && { lti_storage_target: '_parent' })
    }
  }
}
