import { CANVAS_CUSTOM_FIELDS, PERSON_CUSTOM_FIELDS, TOOL_DESCRIPTION, TOOL_ID, TOOL_NAME, TOOL_PLACEMENTS, TOOL_SCOPES, toolEndpoints } from '../canvas-config'
import { PLATFORM_CONFIGURATION, type PlatformConfiguration } from './platform-configuration'

export const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration'

/** The identity claims Mentorlink needs: people's names and email addresses appear on every page. */
const CLAIMS = ['iss', 'sub', 'name', 'given_name', 'family_name', 'email']

/** What an admin loses when the platform grants fewer scopes than Mentorlink asks for. */
export const SCOPE_PURPOSES: Record<string, string> = {
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem': 'create the completion column in the gradebook',
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly': 'find the completion column in the gradebook',
  'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly': 'read back the grades it passed',
  'https://purl.imsglobal.org/spec/lti-ags/scope/score': 'pass completion grades back to the gradebook',
  'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly': 'read the course roster to pair students with mentors'
}

/**
 * The tool's registration request (LTI Dynamic Registration 1.0, section 3.5) for a deployment at `publicUrl`.
 * Messages the platform does not support are left out; Canvas variables are only sent to Canvas.
 */
export function toolRegistrationRequest (publicUrl: string, platform: PlatformConfiguration) {
  const urls = toolEndpoints(publicUrl)
  const supported = new Set(platform[PLATFORM_CONFIGURATION].messages_supported.map((m) => m.type))
  const isCanvas = platform[PLATFORM_CONFIGURATION].product_family_code === 'canvas'
  const messages = Object.entries(TOOL_PLACEMENTS).filter(([type]) => supported.has(type)).map(([type, placements]) => ({
    type,
    target_link_uri: urls.launch,
    label: placements[0].text,
    icon_uri: urls.icon,
    placements: placements.map((p) => p.placement)
  }))
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: urls.login,
    redirect_uris: [urls.launch],
    client_name: TOOL_NAME,
    jwks_uri: urls.jwks,
    logo_uri: urls.icon,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: TOOL_SCOPES.join(' '),
    [TOOL_CONFIGURATION]: {
      domain: urls.domain,
      target_link_uri: urls.launch,
      description: TOOL_DESCRIPTION,
      claims: CLAIMS,
      messages,
      custom_parameters: isCanvas ? CANVAS_CUSTOM_FIELDS : PERSON_CUSTOM_FIELDS,
      'https://canvas.instructure.com/lti/privacy_level': 'public',
      'https://canvas.instructure.com/lti/tool_id': TOOL_ID
    }
  }
}
