import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { z } from 'zod'

const root = path.resolve(__dirname, '../..')
const committed = readFileSync(path.join(root, 'lti-config.json'), 'utf8')

/** Scopes Canvas accepts on an LTI 1.3 developer key (Canvas doc/api/lti_dev_key_config.md). */
const CANVAS_SCOPES = [
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
  'https://purl.imsglobal.org/spec/lti/scope/noticehandlers',
  'https://canvas.instructure.com/lti/public_jwk/scope/update'
]

/** Canvas placement names (Canvas doc/api/placements_overview.md). */
const CANVAS_PLACEMENTS = [
  'account_navigation', 'analytics_hub', 'assignment_edit', 'assignment_group_menu', 'assignment_index_menu', 'assignment_menu',
  'assignment_selection', 'assignment_view', 'collaboration', 'course_assignments_menu', 'course_home_sub_navigation',
  'course_navigation', 'course_settings_sub_navigation', 'discussion_topic_index_menu', 'discussion_topic_menu',
  'editor_button', 'file_index_menu', 'file_menu', 'global_navigation', 'homework_submission', 'link_selection',
  'migration_selection', 'module_group_menu', 'module_index_menu_modal', 'module_index_menu', 'module_menu_modal', 'module_menu',
  'wiki_index_menu', 'wiki_page_menu', 'quiz_index_menu', 'quiz_menu', 'student_context_card', 'submission_type_selection',
  'post_grades', 'tool_configuration', 'top_navigation', 'user_navigation'
]

const https = z.url({ protocol: /^https$/ })
const placement = z.object({
  placement: z.enum(CANVAS_PLACEMENTS),
  message_type: z.enum(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest']),
  target_link_uri: https.optional(),
  text: z.string().min(1).optional(),
  default: z.enum(['enabled', 'disabled']).optional()
}).strict()

/** What Canvas requires of a pasted developer-key JSON, and nothing it does not know. */
const CanvasDeveloperKey = z.object({
  title: z.string().min(1),
  description: z.string().min(1),
  oidc_initiation_url: https,
  target_link_uri: https,
  public_jwk_url: https,
  scopes: z.array(z.enum(CANVAS_SCOPES)),
  extensions: z.array(z.object({
    platform: z.literal('canvas.instructure.com'),
    domain: z.string().min(1),
    tool_id: z.string().min(1),
    privacy_level: z.enum(['anonymous', 'name_only', 'email_only', 'public']),
    settings: z.object({ text: z.string().min(1), icon_url: https, placements: z.array(placement).min(1) }).strict()
  }).strict()).length(1),
  custom_fields: z.record(z.string(), z.string())
}).strict()

describe('lti-config.json (the Canvas developer key)', () => {
  const config = CanvasDeveloperKey.parse(JSON.parse(committed))
  const placements = config.extensions[0]?.settings.placements ?? []
  const byName = new Map(placements.map((p) => [p.placement, p]))

  it('has the fields Canvas requires, with allowed scopes and privacy level', () => {
    expect(config.scopes.length).toBeGreaterThan(0)
    expect(config.extensions[0]?.privacy_level).toBe('public')
    expect(new URL(config.oidc_initiation_url).pathname).toBe('/lti/login')
    expect(new URL(config.target_link_uri).pathname).toBe('/lti/launch')
    expect(new URL(config.public_jwk_url).pathname).toBe('/lti/keys')
  })

  it('offers the course navigation link and deep linking on the selection placements', () => {
    expect(byName.get('course_navigation')?.message_type).toBe('LtiResourceLinkRequest')
    expect(byName.get('assignment_selection')?.message_type).toBe('LtiDeepLinkingRequest')
    expect(byName.get('link_selection')?.message_type).toBe('LtiDeepLinkingRequest')
    for (const p of placements) expect(p.target_link_uri ?? config.target_link_uri).toBe(config.target_link_uri)
  })

  it('asks Canvas for the term and course dates', () => {
    expect(config.custom_fields).toMatchObject({
      term_start: '$Canvas.term.startAt', term_end: '$Canvas.term.endAt', course_start: '$Canvas.course.startAt', course_end: '$Canvas.course.endAt'
    })
  })

  it('is what `npm run lti-config` generates, byte for byte', () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'lti-config-')), 'lti-config.json')
    const run = spawnSync('npm', ['run', '--silent', 'lti-config', '--', '--out', out], { cwd: root, encoding: 'utf8', timeout: 120_000 })
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(readFileSync(out, 'utf8')).toBe(committed)
  })
})
