import { z } from 'zod'

export const PLATFORM_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-platform-configuration'

const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
const including = (value: string) => z.array(z.string()).refine((list) => list.includes(value), `must include ${value}`)
// Moodle lists message types as objects; some platforms list bare names.
const message = z.union([z.string(), z.object({ type: z.string(), placements: z.array(z.string()).optional() })])
  .transform((m) => typeof m === 'string' ? { type: m } : m)

/** What Mentorlink needs of a platform's OpenID configuration (LTI Dynamic Registration 1.0, section 3.4). */
export const PlatformConfiguration = z.object({
  issuer: url,
  authorization_endpoint: url,
  registration_endpoint: url,
  jwks_uri: url,
  token_endpoint: url,
  token_endpoint_auth_methods_supported: including('private_key_jwt'),
  id_token_signing_alg_values_supported: including('RS256'),
  scopes_supported: z.array(z.string()).optional(),
  [PLATFORM_CONFIGURATION]: z.looseObject({
    product_family_code: z.string().min(1),
    version: z.string().optional(),
    messages_supported: z.array(message).refine((list) => list.some((m) => m.type === 'LtiResourceLinkRequest'), 'must include LtiResourceLinkRequest'),
    'https://canvas.instructure.com/lti/account_name': z.string().optional()
  }, { error: 'is required' })
})
export type PlatformConfiguration = z.infer<typeof PlatformConfiguration>

/** Hosted Canvas signs every school's launches with one of these issuers, while each school serves its own configuration. */
const CANVAS_SHARED_ISSUERS = new Set(['https://canvas.instructure.com', 'https://canvas.beta.instructure.com', 'https://canvas.test.instructure.com'])

/**
 * Validates the configuration fetched from `configurationUrl`. The issuer must be on the origin the configuration
 * was served from, so a configuration cannot claim another platform's issuer; the one exception is Canvas's shared
 * issuer, which a registration can never use to replace an existing one (see dynamic-registration.ts). Throws the
 * list of problems.
 */
export function parsePlatformConfiguration (body: unknown, configurationUrl: string): PlatformConfiguration {
  const parsed = PlatformConfiguration.safeParse(body)
  if (!parsed.success) {
    throw new PlatformConfigurationError(parsed.error.issues.map((i) => `${i.path.join('.') || 'configuration'}: ${i.message}`))
  }
  const origin = new URL(configurationUrl).origin
  const canvasShared = parsed.data[PLATFORM_CONFIGURATION].product_family_code === 'canvas' && CANVAS_SHARED_ISSUERS.has(parsed.data.issuer)
  if (!canvasShared && new URL(parsed.data.issuer).origin !== origin) {
    throw new PlatformConfigurationError([`issuer: ${parsed.data.issuer} is not on ${origin}, where the configuration came from`])
  }
  return parsed.data
}

export class PlatformConfigurationError extends Error {
  constructor (readonly problems: string[]) {
    super(`The platform's OpenID configuration cannot be used: ${problems.join('; ')}`)
    this.name = 'PlatformConfigurationError'
  }
}

/** A name for the registration list: Canvas names the account; otherwise the product and host. */
export function platformDisplayName (config: PlatformConfiguration): string {
  const platform = config[PLATFORM_CONFIGURATION]
  const account = platform['https://canvas.instructure.com/lti/account_name']
  return (account ?? `${platform.product_family_code} at ${new URL(config.issuer).host}`).slice(0, 200)
}
