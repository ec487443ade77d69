import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { Simulator } from '@mentorlink/simulator'
import { launchAs, seedCourse, startLmsFor } from '../helpers/lms'
import { getMessage, searchMessages, waitForMessages } from '../helpers/mailpit'
import { startTestApp } from '../helpers/test-app'
import { eventually } from '../pairing/support'

/**
 * External mentors sign in by email: the same answer for known and unknown addresses, a link that works once and
 * expires, a limit on asking, a first-party cookie that keeps them signed in, sign-out, and nothing for a mentor
 * who was deactivated.
 */
let app: FastifyInstance
let sim: Simulator
const tool = { clientId: 'client-1', deploymentId: 'deploy-1' }
const tag = randomBytes(3).toString('hex')
const helena = `helena-${tag}@example.org`
const omar = `omar-${tag}@example.org`
const ids: Record<string, string> = {}

const form = async (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  await fetch(`${app.config.publicUrl}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() })
const linkIn = async (to: string): Promise<string> => {
  const [mail] = await waitForMessages(`to:${to}`)
  return /(http:\/\/\S+\/sign-in\/link\?token=[\w-]+)/.exec((await getMessage(mail?.ID ?? '')).Text)?.[1] ?? ''
}
const tokenOf = (link: string): string => new URL(link).searchParams.get('token') ?? ''

beforeAll(async () => {
  app = await startTestApp({ LOG_LEVEL: 'error', SESSION_MEMBERSHIP_CHECK_SECONDS: '1' })
  sim = await startLmsFor(app, tool)
  seedCourse(sim, `ext-${tag}`, [{ id: `prof-${tag}`, name: 'Amara Okafor', roles: ['Instructor'] }, { id: `s1-${tag}`, name: 'Lucia Ferreira', roles: ['Learner'] }])
  for (const id of [`prof-${tag}`, `s1-${tag}`]) {
    const launched = await launchAs(sim, { ...tool, courseId: `ext-${tag}`, userId: id })
    if (id.startsWith('prof')) ids.profToken = launched.sessionToken ?? ''
  }
  const course = await app.db.models.courses.findOne({ contextId: `ext-${tag}` }).lean()
  ids.course = String(course?._id)
  const pool = await app.db.models.pools.create({ issuer: course?.issuer, clientId: course?.clientId, deploymentId: course?.deploymentId, ownerCourseId: course?._id })
  await app.db.models.courses.updateOne({ _id: course?._id }, { $set: { poolId: pool._id, title: 'MGT 540 Executive Mentoring' } })
  const mentor = await app.db.models.mentors.create({ poolId: pool._id, name: 'Helena Berg', email: helena, organisation: 'Cobalt Partners', expertise: ['networking'], capacity: 2, source: 'external' })
  ids.helena = String(mentor._id)
  await app.db.models.mentors.create({ poolId: pool._id, name: 'Omar Haddad', email: omar, organisation: 'Vale Capital', expertise: ['finance'], capacity: 1, source: 'external' })
})
afterAll(async () => {
  await app?.close()
  await sim?.close()
})

it('answers a known and an unknown address alike, and emails the known one a link', async () => {
  const known = await form('/sign-in', { email: helena }, { 'x-forwarded-for': '10.0.0.1' })
  const unknown = await form('/sign-in', { email: `nobody-${tag}@example.org` }, { 'x-forwarded-for': '10.0.0.1' })
  expect(known.status).toBe(200)
  expect(unknown.status).toBe(200)
  expect((await known.text()).replace(helena, 'X')).toBe((await unknown.text()).replace(`nobody-${tag}@example.org`, 'X'))
  await app.settled()
  expect(await linkIn(helena)).toMatch(/\/sign-in\/link\?token=/)
  expect(await searchMessages(`to:nobody-${tag}@example.org`)).toHaveLength(0)
  const bad = await form('/sign-in', { email: 'not an address' })
  expect(bad.status).toBe(400)
  expect(await bad.text()).toContain('Enter an email address like name@example.com.')
})

it('signs in once per link, keeps the mentor signed in by a first-party cookie, and signs out', async () => {
  const link = await linkIn(helena)
  // Opening the link only asks; the button signs in.
  expect(await (await fetch(link)).text()).toContain('Sign in to Mentorlink')
  const signedIn = await form('/sign-in/link', { token: tokenOf(link) })
  expect(signedIn.status).toBe(303)
  expect(signedIn.headers.get('location')).toMatch(/^\/mentor\?session=/)
  const cookie = signedIn.headers.get('set-cookie') ?? ''
  expect(cookie).toMatch(/mentorlink_mentor=[^;]+;.*Max-Age=2592000/)
  expect(cookie).toMatch(/HttpOnly/)
  expect(cookie).toMatch(/SameSite=Lax/)
  const session = /mentorlink_mentor=([^;]+)/.exec(cookie)?.[1] ?? ''

  const home = await fetch(`${app.config.publicUrl}/mentor`, { headers: { cookie: `mentorlink_mentor=${session}` } })
  expect(home.status).toBe(200)
  const html = await home.text()
  expect(html).toContain('Helena Berg')
  expect(html).toContain('Sign out')
  // The mentor sees no student's page who is not their mentee.
  expect((await fetch(`${app.config.publicUrl}/instructor`, { headers: { cookie: `mentorlink_mentor=${session}` } })).status).toBe(403)

  // Signed in on this browser, an email's button and the sign-in page lead straight in: no new link needed.
  const viaEmail = await fetch(`${app.config.publicUrl}/go/${ids.course ?? ''}/mentor?to=/mentor/verifications`, { headers: { cookie: `mentorlink_mentor=${session}` }, redirect: 'manual' })
  expect([viaEmail.status, viaEmail.headers.get('location')]).toEqual([303, '/mentor/verifications'])
  const elsewhere = await fetch(`${app.config.publicUrl}/go/${ids.course ?? ''}/mentor?to=https://evil.example/`, { headers: { cookie: `mentorlink_mentor=${session}` }, redirect: 'manual' })
  expect(elsewhere.headers.get('location')).toBe('/mentor')
  const signInAgain = await fetch(`${app.config.publicUrl}/sign-in`, { headers: { cookie: `mentorlink_mentor=${session}` }, redirect: 'manual' })
  expect([signInAgain.status, signInAgain.headers.get('location')]).toEqual([303, '/mentor'])
  const cold = await fetch(`${app.config.publicUrl}/go/${ids.course ?? ''}/mentor?to=/mentor/verifications`)
  expect(await cold.text()).toContain('Sign in with your email address')

  const again = await form('/sign-in/link', { token: tokenOf(link) })
  expect(again.status).toBe(410)
  expect(await again.text()).toContain('expired or was used already')

  const out = await form('/sign-out', {}, { cookie: `mentorlink_mentor=${session}` })
  expect(out.status).toBe(200)
  expect(out.headers.get('set-cookie')).toMatch(/mentorlink_mentor=;/)
  expect((await fetch(`${app.config.publicUrl}/mentor`, { headers: { cookie: `mentorlink_mentor=${session}` } })).status).toBe(401)
  expect((await fetch(`${app.config.publicUrl}/sign-in`, { headers: { cookie: `mentorlink_mentor=${session}` }, redirect: 'manual' })).status).toBe(200)
})

it('limits how often a link can be asked for, per address', async () => {
  const address = `limited-${tag}@example.org`
  const answers = []
  for (let i = 0; i < 4; i++) answers.push((await form('/sign-in', { email: address }, { 'x-forwarded-for': '10.0.0.2' })).status)
  expect(answers).toEqual([200, 200, 200, 429])
})

it('emails an invitation to every external mentor never invited and never signed in, once', async () => {
  const invite = async () => await form('/instructor/pool/invite-all', { session: ids.profToken ?? '' })
  const first = await invite()
  expect(first.status).toBe(303)
  expect(first.headers.get('location')).toMatch(/notice=invited&n=1/)
  await app.settled()
  // Helena signed in by email above: she is not invited again.
  expect(await searchMessages(`to:${helena} subject:"invited to mentor"`)).toHaveLength(0)
  const [mail] = await waitForMessages(`to:${omar} subject:"invited to mentor"`)
  expect(mail?.Subject).toBe('You are invited to mentor students of MGT 540 Executive Mentoring')
  const text = (await getMessage(mail?.ID ?? '')).Text
  expect(text).toMatch(/\/mentor-invite\?token=/)
  expect((await invite()).headers.get('location')).toMatch(/notice=invited&n=0/)
  const page = await fetch(`${app.config.publicUrl}/instructor/pool?notice=invited&n=0&session=${ids.profToken ?? ''}`)
  expect(await page.text()).toContain('Every active external mentor was invited already')
})

it('lets an external mentor edit how their mentees see them, and nothing else', async () => {
  await form('/sign-in', { email: omar }, { 'x-forwarded-for': '10.0.0.5' })
  await app.settled()
  const [mail] = await waitForMessages(`to:${omar} subject:"sign in"`)
  const link = /(http:\/\/\S+\/sign-in\/link\?token=[\w-]+)/.exec((await getMessage(mail?.ID ?? '')).Text)?.[1] ?? ''
  const cookie = `mentorlink_mentor=${/mentorlink_mentor=([^;]+)/.exec((await form('/sign-in/link', { token: tokenOf(link) })).headers.get('set-cookie') ?? '')?.[1] ?? ''}`
  const page = await fetch(`${app.config.publicUrl}/mentor/profile`, { headers: { cookie } })
  expect(page.status).toBe(200)
  expect(await page.text()).toContain('value="Vale Capital"')
  const tooLong = await form('/mentor/profile', { organisation: 'Vale Capital', jobTitle: '', expertise: '', bio: 'x'.repeat(5000) }, { cookie })
  expect(tooLong.status).toBe(400)
  expect(await tooLong.text()).toContain('Your profile was not saved')
  const saved = await form('/mentor/profile', { organisation: 'Vale Capital Partners', jobTitle: 'Managing partner', expertise: 'finance; negotiation', bio: 'Thirty years of deals.', availability: 'Tuesday mornings, by video', capacity: '9', name: 'Someone Else' }, { cookie })
  expect(saved.status).toBe(303)
  const stored = await app.db.models.mentors.findOne({ email: omar }).lean()
  expect(stored).toMatchObject({ organisation: 'Vale Capital Partners', jobTitle: 'Managing partner', expertise: ['finance', 'negotiation'], bio: 'Thirty years of deals.', availability: 'Tuesday mornings, by video', capacity: 1, name: 'Omar Haddad' })
})

it('lets an external mentor add, replace and remove an optional photo, seen in the course only', async () => {
  await form('/sign-in', { email: omar }, { 'x-forwarded-for': '10.0.0.9' })
  await app.settled()
  const [mail] = await waitForMessages(`to:${omar} subject:"sign in"`, 2)
  const link = /(http:\/\/\S+\/sign-in\/link\?token=[\w-]+)/.exec((await getMessage(mail?.ID ?? '')).Text)?.[1] ?? ''
  const cookie = `mentorlink_mentor=${/mentorlink_mentor=([^;]+)/.exec((await form('/sign-in/link', { token: tokenOf(link) })).headers.get('set-cookie') ?? '')?.[1] ?? ''}`
  const upload = async (bytes: Uint8Array, name: string, type: string) => {
    const body = new FormData()
    body.append('photo', new Blob([bytes], { type }), name)
    return await fetch(`${app.config.publicUrl}/mentor/profile/photo`, { method: 'POST', body, headers: { cookie, accept: 'text/html' }, redirect: 'manual' })
  }
  // A 1×1 PNG.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
  const notImage = await upload(Buffer.from('just text'), 'me.png', 'image/png')
  expect(notImage.status).toBe(400)
  expect(await notImage.text()).toContain('Photo: choose a JPEG, PNG or WebP image.')
  const tooBig = await upload(Buffer.concat([png, Buffer.alloc(1024 * 1024)]), 'big.png', 'image/png')
  expect(tooBig.status).toBe(400)
  expect(await tooBig.text()).toContain('Photo: the image must be at most 1 MB.')
  const saved = await upload(png, 'me.png', 'image/png')
  expect(saved.status).toBe(303)
  const profile = await (await fetch(new URL(saved.headers.get('location') ?? '', app.config.publicUrl), { headers: { cookie } })).text()
  expect(profile).toContain('Your photo is saved.')
  const src = /<img src="([^"]+)" alt="Your current photo"/.exec(profile)?.[1] ?? ''
  const path = new URL(src.replace(/&amp;/g, '&').replace(/&#x3D;/g, '='), app.config.publicUrl).pathname
  const asInstructor = await fetch(`${app.config.publicUrl}${path}`, { headers: { authorization: `Bearer ${ids.profToken ?? ''}` } })
  expect(asInstructor.status).toBe(200)
  expect(asInstructor.headers.get('content-type')).toBe('image/png')
  expect(Buffer.from(await asInstructor.arrayBuffer())).toEqual(png)
  // Nobody outside the pool's courses, and no photo once removed.
  expect((await fetch(`${app.config.publicUrl}${path}`)).status).toBe(401)
  expect((await form('/mentor/profile/photo/remove', {}, { cookie })).status).toBe(303)
  expect((await fetch(`${app.config.publicUrl}${path}`, { headers: { authorization: `Bearer ${ids.profToken ?? ''}` } })).status).toBe(404)
})

it('refuses a link once its mentor was deactivated, and sends none to a deactivated mentor', async () => {
  await form('/sign-in', { email: helena.toUpperCase() }, { 'x-forwarded-for': '10.0.0.3' })
  await app.settled()
  const mails = await waitForMessages(`to:${helena} subject:"sign in"`, 2)
  expect(mails).toHaveLength(2)
  const link = /(http:\/\/\S+\/sign-in\/link\?token=[\w-]+)/.exec((await getMessage(mails[0]?.ID ?? '')).Text)?.[1] ?? ''
  await app.db.models.mentors.updateOne({ _id: ids.helena }, { $set: { active: false } })
  expect((await form('/sign-in/link', { token: tokenOf(link) })).status).toBe(410)
  await form('/sign-in', { email: helena }, { 'x-forwarded-for': '10.0.0.4' })
  await app.settled()
  expect(await searchMessages(`to:${helena} subject:"sign in"`)).toHaveLength(2)
})

it('ends a signed-in external mentor\'s session once they are deactivated in the pool', async () => {
  await form('/sign-in', { email: omar }, { 'x-forwarded-for': '10.0.0.6' })
  await app.settled()
  const mails = await waitForMessages(`to:${omar} subject:"sign in"`, 3)
  const link = /(http:\/\/\S+\/sign-in\/link\?token=[\w-]+)/.exec((await getMessage(mails[0]?.ID ?? '')).Text)?.[1] ?? ''
  const cookie = `mentorlink_mentor=${/mentorlink_mentor=([^;]+)/.exec((await form('/sign-in/link', { token: tokenOf(link) })).headers.get('set-cookie') ?? '')?.[1] ?? ''}`
  expect((await fetch(`${app.config.publicUrl}/mentor`, { headers: { cookie } })).status).toBe(200)
  await app.db.models.mentors.updateOne({ email: omar }, { $set: { active: false } })
  await eventually(async () => (await fetch(`${app.config.publicUrl}/mentor`, { headers: { cookie, accept: 'application/json' } })).status === 401, 'the session to end')
  const page = await fetch(`${app.config.publicUrl}/mentor`, { headers: { cookie, accept: 'text/html' } })
  expect(page.status).toBe(401)
  expect(await page.text()).toContain('Sign in with your email address')
})
