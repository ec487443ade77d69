import { z } from 'zod'
import { parseOrThrow, toolRegistrationSchema } from './schemas'
import type { ToolRegistration } from './types'
import { ALLOWED_SCOPES } from './vocabulary'

const httpUrl = z.url({ protocol: /^https?$/ })

/** The fields Canvas requires of an LTI 1.3 developer key's JSON (`doc/api/lti_dev_key_config.md`). */
const developerKeySchema = z.object({
  title: z.string().min(1),
  description: z.string().min(1),
  oidc_initiation_url: httpUrl,
  target_link_uri: httpUrl,
  public_jwk_url: httpUrl,
  scopes: z.array(z.enum(ALLOWED_SCOPES as [string, ...string[]])).default([]),
  extensions: z.array(z.looseObject({
    platform: z.literal('canvas.instructure.com'),
    privacy_level: z.enum(['anonymous', 'name_only', 'email_only', 'public']),
    settings: z.looseObject({
      placements: z.array(z.looseObject({
        placement: z.string().min(1),
        message_type: z.enum(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest']).optional(),
        target_link_uri: httpUrl.optional()
      })).min(1)
    })
  })).min(1)
})

/**
 * What a Canvas admin does with a tool's `lti-config.json`: creates a developer key from it (Canvas numbers the
 * client id) and installs it by client id in an account, which makes a deployment. Redirect URIs are typed into
 * the key's form in Canvas; by default they are every launch URL the JSON names.
 */
export function toolFromDeveloperKey (
  json: unknown, ids: { clientId: string, deploymentId: string }, redirectUris?: string[]
): ToolRegistration {
  const key = parseOrThrow(developerKeySchema, json, 'Canvas developer key JSON')
  const placementUris = key.extensions.flatMap(e => e.settings.placements.flatMap(p => p.target_link_uri ?? []))
  return parseOrThrow(toolRegistrationSchema, {
    clientId: ids.clientId,
    deploymentIds: [ids.deploymentId],
    loginUrl: key.oidc_initiation_url,
    redirectUris: redirectUris ?? [...new Set([key.target_link_uri, ...placementUris])],
    targetLinkUri: key.target_link_uri,
    jwksUrl: key.public_jwk_url,
    scopes: key.scopes
  }, 'tool')
}
