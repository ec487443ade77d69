/** Scopes Mentorlink asks for: line items, scores and results (grade passback) and memberships (roster). */
export const TOOL_SCOPES = [
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly'
]

export const TOOL_NAME = 'Mentorlink'
export const TOOL_ID = 'mentorlink'
export const TOOL_DESCRIPTION = 'Course-integrated executive mentoring: mentor pools, pairing, field trips with attendance, goals, and completion grades passed back to the gradebook.'

/** Where each kind of launch appears in the LMS, and its label there. Deep linking creates the graded item. */
export const TOOL_PLACEMENTS = {
  LtiResourceLinkRequest: [{ placement: 'course_navigation', text: 'Mentoring' }],
  LtiDeepLinkingRequest: [
    { placement: 'assignment_selection', text: 'Mentoring programme completion' },
    { placement: 'link_selection', text: 'Mentorlink' }
  ]
} as const

/** Canvas variable substitutions: term and course dates frame the mentoring programme. */
/** The person's own zone (Canvas and Moodle both substitute it), so times are shown as their clock says. */
export const PERSON_CUSTOM_FIELDS = { timezone: '$Person.address.timezone' }

export const CANVAS_CUSTOM_FIELDS = {
  term_start: '$Canvas.term.startAt',
  term_end: '$Canvas.term.endAt',
  course_start: '$Canvas.course.startAt',
  course_end: '$Canvas.course.endAt',
  ...PERSON_CUSTOM_FIELDS
}

/** Mentorlink's LTI endpoints and icon for a deployment at `publicUrl`. */
export function toolEndpoints (publicUrl: string) {
  const base = publicUrl.replace(/\/+$/, '')
  return {
    domain: new URL(base).host,
    login: `${base}/lti/login`,
    launch: `${base}/lti/launch`,
    jwks: `${base}/lti/keys`,
    icon: `${base}/static/img/icon.svg`
  }
}

/** The Canvas LTI 1.3 developer-key JSON for a Mentorlink deployed at `publicUrl`. */
export function canvasDeveloperKeyConfig (publicUrl: string) {
  const urls = toolEndpoints(publicUrl)
  const placements = Object.entries(TOOL_PLACEMENTS).flatMap(([messageType, list]) => list.map(({ placement, text }) => ({
    placement,
    message_type: messageType,
    target_link_uri: urls.launch,
    text,
    ...(placement === 'course_navigation' ? { default: 'enabled' } : {})
  })))
  return {
    title: TOOL_NAME,
    description: TOOL_DESCRIPTION,
    oidc_initiation_url: urls.login,
    target_link_uri: urls.launch,
    public_jwk_url: urls.jwks,
    scopes: TOOL_SCOPES,
    extensions: [{
      platform: 'canvas.instructure.com',
      domain: urls.domain,
      tool_id: TOOL_ID,
      privacy_level: 'public',
      settings: { text: TOOL_NAME, icon_url: urls.icon, placements }
    }],
    custom_fields: CANVAS_CUSTOM_FIELDS
  }
}

export const PLACEHOLDER_URL = 'https://mentorlink.example.edu'
