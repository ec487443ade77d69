import { z } from 'zod'

export const CLAIM = {
  messageType: 'https://purl.imsglobal.org/spec/lti/claim/message_type',
  version: 'https://purl.imsglobal.org/spec/lti/claim/version',
  deploymentId: 'https://purl.imsglobal.org/spec/lti/claim/deployment_id',
  targetLinkUri: 'https://purl.imsglobal.org/spec/lti/claim/target_link_uri',
  resourceLink: 'https://purl.imsglobal.org/spec/lti/claim/resource_link',
  roles: 'https://purl.imsglobal.org/spec/lti/claim/roles',
  context: 'https://purl.imsglobal.org/spec/lti/claim/context',
  custom: 'https://purl.imsglobal.org/spec/lti/claim/custom',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
  ags: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  deepLinkingSettings: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'
} as const

const common = {
  sub: z.string().min(1),
  name: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  email: z.string().optional(),
  zoneinfo: z.string().optional(),
  [CLAIM.version]: z.literal('1.3.0'),
  [CLAIM.deploymentId]: z.string().min(1).max(255),
  [CLAIM.targetLinkUri]: z.string().url(),
  [CLAIM.roles]: z.array(z.string()),
  [CLAIM.context]: z.object({ id: z.string().min(1), label: z.string().optional(), title: z.string().optional() }),
  [CLAIM.custom]: z.record(z.string(), z.unknown()).optional(),
  [CLAIM.nrps]: z.object({ context_memberships_url: z.string().url() }).optional(),
  [CLAIM.ags]: z.object({
    scope: z.array(z.string()).default([]),
    lineitems: z.string().url().optional(),
    lineitem: z.string().url().optional()
  }).optional()
}

const resourceLinkLaunch = z.object({
  ...common,
  [CLAIM.messageType]: z.literal('LtiResourceLinkRequest'),
  [CLAIM.resourceLink]: z.object({ id: z.string().min(1), title: z.string().optional() })
})

const deepLinkingLaunch = z.object({
  ...common,
  [CLAIM.messageType]: z.literal('LtiDeepLinkingRequest'),
  [CLAIM.deepLinkingSettings]: z.object({
    deep_link_return_url: z.string().url(),
    accept_types: z.array(z.string()).min(1),
    accept_presentation_document_targets: z.array(z.string()).min(1),
    data: z.string().optional()
  })
})

/**
 * The claims Mentorlink requires of an id_token. A context is required because every Mentorlink page belongs
 * to a course.
 */
export const LaunchClaims = z.discriminatedUnion(CLAIM.messageType, [resourceLinkLaunch, deepLinkingLaunch])
export type LaunchClaims = z.infer<typeof LaunchClaims>
