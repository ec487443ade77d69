import { z } from 'zod'
import { parseOrThrow, toolRegistrationSchema } from './schemas'
import type { ToolRegistration } from './types'
import { ALLOWED_SCOPES } from './vocabulary'

/** Scopes Canvas accepts on an LTI 1.3 developer key (Canvas `doc/api/lti_dev_key_config.md`). */
export const CANVAS_SCOPES = [
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
  'https://purl.imsglobal.org/spec/lti/scope/noticehandlers',
  'https://canvas.instructure.com/lti/public_jwk/scope/update'
] as const

/** Canvas placement names (Canvas `doc/api/placements_overview.md`). */
export const CANVAS_PLACEMENTS = [
  'account_navigation', 'analytics_hub', 'assignment_edit', 'assignment_group_menu', 'assignment_index_menu', 'assignment_menu',
  'assignment_selection', 'assignment_view', 'collaboration', 'course_assignments_menu', 'course_home_sub_navigation',
  'course_navigation', 'course_settings_sub_navigation', 'discussion_topic_index_menu', 'discussion_topic_menu',
  'editor_button', 'file_index_menu', 'file_menu', 'global_navigation', 'homework_submission', 'link_selection',
  'migration_selection', 'module_group_menu', 'module_index_menu_modal', 'module_index_menu', 'module_menu_modal', 'module_menu',
  'wiki_index_menu', 'wiki_page_menu', 'quiz_index_menu', 'quiz_menu', 'student_context_card', 'submission_type_selection',
  'post_grades', 'tool_configuration', 'top_navigation', 'user_navigation'
] as const

/**
 * A pasted developer-key JSON as Canvas documents it: its required fields, and no field it does not know (so a
 * misspelt one is caught). `url` says which URLs pass: the committed `lti-config.json` must use https.
 */
export function canvasDeveloperKeySchema (url: z.ZodType<string> = z.url({ protocol: /^https?$/ })) {
  const text = z.string().min(1)
  const labels = z.record(z.string(), z.string())
  const customFields = z.record(z.string(), z.string())
  const size = z.number().int().positive()
  const placement = z.strictObject({
    placement: z.enum(CANVAS_PLACEMENTS),
    message_type: z.enum(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest']).optional(),
    target_link_uri: url.optional(),
    text: text.optional(),
    labels: labels.optional(),
    icon_url: url.optional(),
    custom_fields: customFields.optional(),
    enabled: z.boolean().optional(),
    required_permissions: z.string().optional(),
    selection_width: size.optional(),
    selection_height: size.optional(),
    canvas_icon_class: z.string().optional(),
    default: z.enum(['enabled', 'disabled']).optional(),
    windowTarget: z.literal('_blank').optional(),
    use_tray: z.boolean().optional(),
    accept_media_types: z.string().optional(),
    icon_svg_path_64: z.string().optional()
  })
  return z.strictObject({
    title: text,
    description: text,
    oidc_initiation_url: url,
    oidc_initiation_urls: z.record(z.string(), url).optional(),
    target_link_uri: url,
    public_jwk: z.record(z.string(), z.unknown()).optional(),
    public_jwk_url: url.optional(),
    scopes: z.array(z.enum(CANVAS_SCOPES)).default([]),
    custom_fields: customFields.optional(),
    extensions: z.array(z.strictObject({
      platform: z.literal('canvas.instructure.com'),
      domain: z.string().min(1).optional(),
      tool_id: z.string().min(1).optional(),
      privacy_level: z.enum(['anonymous', 'name_only', 'email_only', 'public']),
      settings: z.strictObject({
        text: text.optional(),
        labels: labels.optional(),
        icon_url: url.optional(),
        selection_width: size.optional(),
        selection_height: size.optional(),
        custom_fields: customFields.optional(),
        required_permissions: z.string().optional(),
        placements: z.array(placement).min(1)
      })
    })).length(1, 'one extension, for canvas.instructure.com')
  }).refine(key => key.public_jwk !== undefined || key.public_jwk_url !== undefined, { path: ['public_jwk_url'], message: 'public_jwk or public_jwk_url is required' })
}

const developerKeySchema = canvasDeveloperKeySchema()

/**
 * What a Canvas admin does with a tool's `lti-config.json`: creates a developer key from it (Canvas numbers the
 * client id) and installs it by client id in an account, which makes a deployment. Redirect URIs are typed into
 * the key's form in Canvas; by default they are every launch URL the JSON names. The simulator verifies the
 * tool's signatures through its key set URL, so it needs `public_jwk_url`.
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
    scopes: key.scopes.filter(scope => ALLOWED_SCOPES.includes(scope))
  }, 'tool')
}
