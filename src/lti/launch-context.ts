import type { CourseInput, Tenant, UserInput } from '../persistence/repositories/tenancy.repository'
import { isTimeZone } from '../domain/time/zones'
import { CLAIM, type LaunchClaims } from './claims'

export interface LaunchContext {
  tenant: Tenant
  course: CourseInput
  user: UserInput
  roles: string[]
  messageType: LaunchClaims[typeof CLAIM.messageType]
}

/**
 * The person's zone where the LMS gives one: the custom parameter `timezone` (Moodle and Canvas substitute
 * $Person.address.timezone) or OIDC's `zoneinfo`. An unexpanded variable is no zone and is left out.
 */
function launchZone (custom: Record<string, unknown>, zoneinfo: string | undefined): { timeZone?: string } {
  const zone = [custom.timezone, zoneinfo].find(isTimeZone)
  return zone !== undefined ? { timeZone: zone } : {}
}

/** Turns validated id_token claims into what Mentorlink keeps of a launch. */
export function launchContextFrom (claims: LaunchClaims, issuer: string, clientId: string): LaunchContext {
  const context = claims[CLAIM.context]
  const ags = claims[CLAIM.ags]
  const custom = claims[CLAIM.custom] ?? {}
  const given = claims.given_name ?? ''
  const family = claims.family_name ?? ''
  return {
    tenant: { issuer, clientId, deploymentId: claims[CLAIM.deploymentId] },
    course: {
      contextId: context.id,
      title: context.title ?? context.label ?? 'Untitled course',
      label: context.label ?? '',
      membershipsUrl: claims[CLAIM.nrps]?.context_memberships_url,
      lineItemsUrl: ags?.lineitems,
      lineItemUrl: ags?.lineitem,
      agsScopes: ags?.scope ?? [],
      custom
    },
    user: {
      sub: claims.sub,
      name: claims.name ?? [given, family].filter(Boolean).join(' '),
      givenName: given,
      familyName: family,
      email: claims.email ?? '',
      ...launchZone(custom, claims.zoneinfo)
    },
    roles: claims[CLAIM.roles],
    messageType: claims[CLAIM.messageType]
  }
}
