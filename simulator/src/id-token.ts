import { randomBytes } from 'node:crypto'
import type { JWTPayload } from 'jose'
import { absoluteUrl, endpointPaths, issuerOf, serviceUrl, type SimulatorContext } from './context'
import { launchRoleUris, legacyUserId } from './roles'
import { findMember, purgeExpired, type PendingLaunch } from './state'
import { applyTampers } from './tamper'
import type { SimUser } from './types'
import {
  AGS_CLAIM, AGS_SCOPES, COURSE_OFFERING, DL_CLAIM, LTI_CLAIM, NRPS_CLAIM
} from './vocabulary'

const TOKEN_TTL_S = 300
const DEEP_LINK_TTL_MS = 60 * 60 * 1000

function deepLinkingSettings (ctx: SimulatorContext, launch: PendingLaunch) {
  const data = randomBytes(16).toString('base64url')
  purgeExpired(ctx.state.deepLinkRequests, r => r.expiresAt)
  ctx.state.deepLinkRequests.set(data, {
    clientId: launch.clientId,
    deploymentId: launch.deploymentId,
    courseId: launch.courseId,
    expiresAt: Date.now() + DEEP_LINK_TTL_MS
  })
  return {
    deep_link_return_url: absoluteUrl(ctx, endpointPaths.deepLinkReturn),
    accept_types: ['ltiResourceLink'],
    accept_presentation_document_targets: ['iframe', 'window'],
    accept_multiple: false,
    accept_lineitem: true,
    data
  }
}

function messageClaims (ctx: SimulatorContext, launch: PendingLaunch): JWTPayload {
  if (launch.messageType === 'LtiDeepLinkingRequest') {
    return { [`${DL_CLAIM}/deep_linking_settings`]: deepLinkingSettings(ctx, launch) }
  }
  return { [`${LTI_CLAIM}/resource_link`]: launch.resourceLink }
}

/** Canvas (with public privacy) tells an observer whom they observe, by LTI 1.1 user id. */
function observerClaims (ctx: SimulatorContext, observes: string[] | undefined): JWTPayload {
  if (!ctx.profile.observerScope || observes === undefined || observes.length === 0) return {}
  return { [`${LTI_CLAIM}/role_scope_mentor`]: observes.map(legacyUserId) }
}

/** Claims of the id_token for a launch, before any tampering. */
export function idTokenClaims (ctx: SimulatorContext, launch: PendingLaunch, nonce: string): JWTPayload {
  const { state } = ctx
  const user = state.users.get(launch.userId)
  const course = state.courses.get(launch.courseId)
  if (user === undefined || course === undefined) throw new Error('launch refers to a deleted user or course')
  const member = findMember(state, course.id, user.id)
  const iat = Math.floor(Date.now() / 1000)
  const urls = { courseId: course.id, typeId: launch.deploymentId }
  return {
    iss: issuerOf(ctx),
    aud: launch.clientId,
    azp: launch.clientId,
    sub: user.id,
    iat,
    exp: iat + TOKEN_TTL_S,
    nonce,
    name: user.name,
    given_name: user.givenName,
    family_name: user.familyName,
    email: user.email,
    [`${LTI_CLAIM}/message_type`]: launch.messageType,
    [`${LTI_CLAIM}/version`]: '1.3.0',
    [`${LTI_CLAIM}/deployment_id`]: launch.deploymentId,
    [`${LTI_CLAIM}/target_link_uri`]: launch.targetLinkUri,
    [`${LTI_CLAIM}/roles`]: launchRoleUris(member?.roles ?? []),
    ...observerClaims(ctx, member?.observes),
    [`${LTI_CLAIM}/context`]: { id: course.id, label: course.label, title: course.title, type: [COURSE_OFFERING] },
    [`${LTI_CLAIM}/tool_platform`]: {
      guid: ctx.platformGuid, name: ctx.profile.platformName, product_family_code: ctx.profile.productFamilyCode
    },
    [`${LTI_CLAIM}/launch_presentation`]: {
      document_target: 'iframe',
      return_url: `${absoluteUrl(ctx, endpointPaths.launchReturn)}?course=${encodeURIComponent(course.id)}`
    },
    [`${LTI_CLAIM}/custom`]: substituted(course.custom ?? {}, user),
    [NRPS_CLAIM]: { context_memberships_url: serviceUrl(ctx, 'memberships', urls), service_versions: ['2.0'] },
    [AGS_CLAIM]: {
      scope: AGS_SCOPES,
      lineitems: serviceUrl(ctx, 'lineItems', urls),
      ...(launch.lineItemUrl !== undefined && { lineitem: launch.lineItemUrl })
    },
    ...messageClaims(ctx, launch)
  }
}

/** Custom parameters with the person's variables substituted where the platform knows them. */
function substituted (custom: Record<string, string>, user: SimUser): Record<string, string> {
  return Object.fromEntries(Object.entries(custom).map(([key, value]) =>
    [key, value === '$Person.address.timezone' && user.timeZone !== undefined ? user.timeZone : value]))
}

/** Builds and signs the id_token, applying any pending tampers. */
export async function signIdToken (ctx: SimulatorContext, launch: PendingLaunch, nonce: string): Promise<string> {
  const claims = idTokenClaims(ctx, launch, nonce)
  const variant = applyTampers(claims, ctx.tampers.take())
  return await ctx.keys.sign(claims, variant)
}
