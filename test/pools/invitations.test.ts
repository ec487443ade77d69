import { createHash } from 'node:crypto'
import { callApi, getPage, postForm, unescapeHtml } from '../helpers/http'
import { startPoolWorld, type PoolWorld } from './support/pool-world'

let world: PoolWorld
let amara: string
let adaId: string

const invitations = () => world.app.db.models.mentorInvitations

/** Issues a link from the mentor's page, as the instructor does, and reads it off the page shown once. */
async function issueLink (mentorId = adaId): Promise<{ url: string, token: string }> {
  const res = await postForm(world.base, amara, `/instructor/pool/mentors/${mentorId}/invitation`, {})
  expect(res.status).toBe(200)
  const url = unescapeHtml(/id="invite-url"[^>]*value="([^"]+)"/.exec(res.html)?.[1] ?? '')
  return { url, token: new URL(url).searchParams.get('token') ?? '' }
}
const openLink = async (url: string) => { const res = await fetch(url, { headers: { accept: 'text/html' } }); return { status: res.status, html: await res.text() } }
async function useLink (token: string) {
  const res = await fetch(`${world.base}/mentor-invite`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: new URLSearchParams({ token }).toString()
  })
  const location = res.headers.get('location')
  return { status: res.status, html: await res.text(), session: location ? new URL(location, world.base).searchParams.get('session') ?? undefined : undefined, location }
}

beforeAll(async () => {
  world = await startPoolWorld()
  amara = await world.session('u-amara')
  adaId = (await callApi(world.base, amara, 'POST', '/api/v1/pool/mentors', { name: 'Ada Lovelace', email: 'ada@example.org', capacity: 3 })).body.id
})
afterAll(async () => { await world?.close() })

describe('an external mentor invitation', () => {
  let first: { url: string, token: string }

  it('is shown once to the instructor and stored only as its SHA-256', async () => {
    first = await issueLink()
    expect(first.url).toMatch(new RegExp(`^${world.base}/mentor-invite\\?token=[A-Za-z0-9_-]{43}$`))
    const stored = await invitations().find({ mentorId: adaId }).lean()
    expect(stored).toHaveLength(1)
    expect(stored[0]?.tokenHash).toBe(createHash('sha256').update(first.token).digest('hex'))
    const everything = JSON.stringify(await Promise.all(['mentor_invitations', 'mentors', 'users', 'sessions', 'pools']
      .map(async (name) => await world.app.db.connection.db?.collection(name).find({}).toArray())))
    expect(everything).not.toContain(first.token)
    expect((await getPage(world.base, amara, '/instructor/pool')).html).toContain('Link issued, usable until')
  })

  it('opens a confirmation page that does not use the link up', async () => {
    for (let i = 0; i < 2; i++) {
      const page = await openLink(first.url)
      expect(page.status).toBe(200)
      expect(page.html).toContain('Continue as Ada Lovelace')
      expect(page.html).toContain('Course mgt540')
      expect(page.html).toMatch(/<input type="hidden" name="token" value="[A-Za-z0-9_-]{43}">/)
    }
  })

  it('signs the mentor in once, into their mentor pages only', async () => {
    const used = await useLink(first.token)
    expect(used.status).toBe(303)
    expect(used.location).toMatch(/^\/mentor\?session=/)
    const token = used.session ?? ''
    const home = await getPage(world.base, token, '/mentor')
    expect(home.status).toBe(200)
    expect(home.html).toContain('Ada Lovelace')
    const me = await callApi(world.base, token, 'GET', '/api/v1/me')
    expect(me.body).toMatchObject({ role: 'mentor', user: { name: 'Ada Lovelace', email: 'ada@example.org' }, course: { title: 'Course mgt540' } })
    expect((await getPage(world.base, token, '/instructor')).status).toBe(403)
    expect((await getPage(world.base, token, '/instructor/pool')).status).toBe(403)
    expect((await getPage(world.base, token, '/student')).status).toBe(403)
    expect((await callApi(world.base, token, 'GET', '/api/v1/pool/mentors')).status).toBe(403)
    expect((await callApi(world.base, token, 'POST', '/api/v1/pool/mentors', { name: 'X', email: 'x@example.org', capacity: 1 })).status).toBe(403)
    const mentor = await world.app.db.models.mentors.findById(adaId).lean()
    const user = await world.app.db.models.users.findById(mentor?.userId).lean()
    expect(user).toMatchObject({ issuer: 'mentorlink:external', name: 'Ada Lovelace' })
    expect(await world.app.db.models.memberships.countDocuments({ userId: user?._id })).toBe(0)
  })

  it('is refused once used, on opening and on using, with a clear page', async () => {
    const page = await openLink(first.url)
    expect(page.status).toBe(410)
    expect(page.html).toContain('This invitation link has already been used.')
    expect((await useLink(first.token)).status).toBe(410)
    expect((await getPage(world.base, amara, '/instructor/pool')).html).toContain('Link used on')
  })

  it('is refused when expired', async () => {
    const link = await issueLink()
    await invitations().updateOne({ usedAt: null, revokedAt: null }, { $set: { expiresAt: new Date(Date.now() - 1000) } })
    const page = await openLink(link.url)
    expect(page.status).toBe(410)
    expect(page.html).toContain('This invitation link has expired.')
    expect((await useLink(link.token)).status).toBe(410)
  })

  it('is refused when revoked', async () => {
    const link = await issueLink()
    const res = await postForm(world.base, amara, `/instructor/pool/mentors/${adaId}/invitation/revoke`, {})
    expect(res.location).toContain('notice=revoked')
    const used = await useLink(link.token)
    expect(used.status).toBe(410)
    expect(used.html).toContain('This invitation link was withdrawn.')
    expect((await getPage(world.base, amara, `/instructor/pool/mentors/${adaId}/edit`)).html).toContain('Link withdrawn on')
    expect((await postForm(world.base, amara, `/instructor/pool/mentors/${adaId}/invitation/revoke`, {})).status).toBe(409)
  })

  it('is replaced by a re-issued one: the old link stops working, the new one works', async () => {
    const old = await issueLink()
    const renewed = await issueLink()
    expect((await useLink(old.token)).status).toBe(410)
    expect((await useLink(renewed.token)).status).toBe(303)
  })

  it('signs in only one of several simultaneous uses', async () => {
    for (let round = 0; round < 5; round++) {
      const link = await issueLink()
      const statuses = (await Promise.all(Array.from({ length: 4 }, async () => await useLink(link.token)))).map((r) => r.status).sort()
      expect(statuses).toEqual([303, 410, 410, 410])
    }
  })

  it('answers 404 to an unknown token', async () => {
    const page = await openLink(`${world.base}/mentor-invite?token=${'A'.repeat(43)}`)
    expect(page.status).toBe(404)
    expect(page.html).toContain('This invitation link is not valid.')
  })

  it('ends the sessions and withdraws the link of a mentor who is deactivated', async () => {
    const signedIn = (await useLink((await issueLink()).token)).session ?? ''
    const pending = await issueLink()
    expect((await getPage(world.base, signedIn, '/mentor')).status).toBe(200)
    await callApi(world.base, amara, 'PATCH', `/api/v1/pool/mentors/${adaId}`, { active: false })
    expect((await getPage(world.base, signedIn, '/mentor')).status).toBe(401)
    expect((await useLink(pending.token)).status).toBe(410)
    expect((await callApi(world.base, amara, 'POST', `/api/v1/pool/mentors/${adaId}/invitation`)).status).toBe(409)
    await callApi(world.base, amara, 'PATCH', `/api/v1/pool/mentors/${adaId}`, { active: true })
    // Back, and signed in again: the new session works, the one ended stays ended.
    const again = (await useLink((await issueLink()).token)).session ?? ''
    expect((await getPage(world.base, again, '/mentor')).status).toBe(200)
    expect((await getPage(world.base, signedIn, '/mentor')).status).toBe(401)
  })

  it('is issued and revoked through the API too, with the link in the answer only', async () => {
    const issued = await callApi(world.base, amara, 'POST', `/api/v1/pool/mentors/${adaId}/invitation`)
    expect(issued.status).toBe(201)
    expect(issued.headers.get('cache-control')).toBe('no-store')
    expect(issued.body.url).toMatch(/\/mentor-invite\?token=/)
    expect((await callApi(world.base, amara, 'GET', `/api/v1/pool/mentors/${adaId}`)).body.invitation.state).toBe('pending')
    expect((await callApi(world.base, amara, 'DELETE', `/api/v1/pool/mentors/${adaId}/invitation`)).status).toBe(204)
    expect((await callApi(world.base, amara, 'GET', `/api/v1/pool/mentors/${adaId}`)).body.invitation.state).toBe('revoked')
  })

  it('is not for LMS mentors, and only the course instructors issue one', async () => {
    const lmsMentor = await callApi(world.base, amara, 'POST', '/api/v1/pool/mentors', { name: 'Lms Person', email: 'lms@example.org', capacity: 1 })
    await world.app.db.models.mentors.updateOne({ _id: lmsMentor.body.id }, { $set: { source: 'lms' } })
    expect((await postForm(world.base, amara, `/instructor/pool/mentors/${lmsMentor.body.id as string}/invitation`, {})).status).toBe(409)
    const lucia = await world.session('u-lucia')
    expect((await postForm(world.base, lucia, `/instructor/pool/mentors/${adaId}/invitation`, {})).status).toBe(403)
    const ines = await world.session('u-ines', 'mgt541')
    expect((await callApi(world.base, ines, 'POST', `/api/v1/pool/mentors/${adaId}/invitation`)).status).toBe(404)
  })
})
