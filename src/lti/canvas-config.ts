/** Scopes Mentorlink asks for: line items, scores and results (grade passback) and memberships (roster). */
export const TOOL_SCOPES = [
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly'
]

/** The Canvas LTI 1.3 developer-key JSON for a Mentorlink deployed at `publicUrl`. */
export function canvasDeveloperKeyConfig (publicUrl: string) {
  const base = publicUrl.replace(/\/+$/, '')
  const launch = `${base}/lti/launch`
  return {
    title: 'Mentorlink',
    description: 'Course-integrated executive mentoring: mentor pools, pairing, field trips with attendance, goals, and completion grades passed back to the gradebook.',
    oidc_initiation_url: `${base}/lti/login`,
    target_link_uri: launch,
    public_jwk_url: `${base}/lti/keys`,
    scopes: TOOL_SCOPES,
    extensions: [{
      platform: 'canvas.instructure.com',
      domain: new URL(base).host,
      tool_id: 'mentorlink',
      privacy_level: 'public',
      settings: {
        text: 'Mentorlink',
        icon_url: `${base}/static/img/icon.svg`,
        placements: [
          { placement: 'course_navigation', message_type: 'LtiResourceLinkRequest', target_link_uri: launch, text: 'Mentoring', default: 'enabled' },
          { placement: 'assignment_selection', message_type: 'LtiDeepLinkingRequest', target_link_uri: launch, text: 'Mentoring programme completion' },
          { placement: 'link_selection', message_type: 'LtiDeepLinkingRequest', target_link_uri: launch, text: 'Mentorlink' }
        ]
      }
    }],
    custom_fields: {
      term_start: '$Canvas.term.startAt',
      term_end: '$Canvas.term.endAt',
      course_start: '$Canvas.course.startAt',
      course_end: '$Canvas.course.endAt'
    }
  }
}

export const PLACEHOLDER_URL = 'https://mentorlink.example.edu'
