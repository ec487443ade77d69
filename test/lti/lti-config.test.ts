import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { z } from 'zod'
import { canvasDeveloperKeySchema } from '@mentorlink/simulator'

const root = path.resolve(__dirname, '../..')
const committed = readFileSync(path.join(root, 'lti-config.json'), 'utf8')

/** What Canvas accepts as a developer key (the simulator's Canvas reads keys with it), with https URLs only. */
const CanvasDeveloperKey = canvasDeveloperKeySchema(z.url({ protocol: /^https$/ }))

describe('lti-config.json (the Canvas developer key)', () => {
  const config = CanvasDeveloperKey.parse(JSON.parse(committed))
  const placements = config.extensions[0]?.settings.placements ?? []
  const byName = new Map(placements.map((p) => [p.placement, p]))

  it('has the fields Canvas requires, with allowed scopes and privacy level', () => {
    expect(config.scopes.length).toBeGreaterThan(0)
    expect(config.extensions[0]).toMatchObject({ domain: expect.any(String), tool_id: 'mentorlink', settings: { text: expect.any(String), icon_url: expect.any(String) } })
    for (const p of placements) expect(p.message_type).toBeDefined()
    expect(config.extensions[0]?.privacy_level).toBe('public')
    expect(new URL(config.oidc_initiation_url).pathname).toBe('/lti/login')
    expect(new URL(config.target_link_uri).pathname).toBe('/lti/launch')
    expect(new URL(config.public_jwk_url ?? '').pathname).toBe('/lti/keys')
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
