import { MEDIA, SCOPES, type SimMember } from '@mentorlink/simulator'
import { accessToken } from './support/fake-tool'
import { person, startWorld, type World } from './support/world'

interface Container { id: string, context: { id: string }, members: Array<{ user_id: string, status: string, roles: string[], email?: string }> }

function nextLink (link: string | null): string | undefined {
  return /<([^>]+)>;\s*rel="next"/.exec(link ?? '')?.[1]
}

describe('simulator NRPS memberships', () => {
  let world: World
  let token: string
  beforeAll(async () => {
    world = await startWorld()
    const members: SimMember[] = Array.from({ length: 120 }, (_, i) => ({ userId: `s${i}`, roles: ['Learner'], status: 'Active' }))
    members.push({ userId: 'prof', roles: ['Instructor'], status: 'Active' })
    members.forEach(m => { world.sim.addUser(person(m.userId)) })
    world.sim.addCourse({ id: 'big', label: 'BIG', title: 'Big course', members })
    world.sim.setMemberStatus('big', 's7', 'Removed')
    world.sim.setMemberStatus('big', 's8', 'Inactive')
    token = await accessToken(world.tool, world.sim, [SCOPES.memberships])
  })
  afterAll(async () => { await world.close() })

  const get = async (url: string, accept: string = MEDIA.membershipContainer) =>
    await fetch(url, { headers: { authorization: `Bearer ${token}`, accept } })

  it('pages 120 members by 50 following Link rel="next"; removed absent, inactive listed', async () => {
    const pages: Container[] = []
    let url: string | undefined = `${world.sim.url}/api/courses/big/memberships`
    while (url !== undefined) {
      const res = await get(url)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe(`${MEDIA.membershipContainer}; charset=utf-8`)
      pages.push(await res.json() as Container)
      url = nextLink(res.headers.get('link'))
    }
    expect(pages.map(p => p.members.length)).toEqual([50, 50, 20])
    const members = pages.flatMap(p => p.members)
    expect(members.map(m => m.user_id)).not.toContain('s7')
    expect(members.find(m => m.user_id === 's8')).toMatchObject({ status: 'Inactive' })
    expect(members.find(m => m.user_id === 'prof')).toMatchObject({
      status: 'Active', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'], email: 'prof@example.edu'
    })
    expect(pages[0]).toMatchObject({ context: { id: 'big' } })
  })

  it('honours limit (capped at the page size) and the role filter', async () => {
    const small = await get(`${world.sim.url}/api/courses/big/memberships?limit=30`)
    expect(((await small.json()) as Container).members).toHaveLength(30)
    expect(nextLink(small.headers.get('link'))).toMatch(/limit=30&page=2/)
    const capped = await get(`${world.sim.url}/api/courses/big/memberships?limit=500`)
    expect(((await capped.json()) as Container).members).toHaveLength(50)
    const teachers = await get(`${world.sim.url}/api/courses/big/memberships?role=Instructor`)
    expect(((await teachers.json()) as Container).members.map(m => m.user_id)).toEqual(['prof'])
    expect(nextLink(teachers.headers.get('link'))).toBeUndefined()
  })

  it('answers 400 naming a bad query field, 404 for an unknown course and 406 for a wrong Accept', async () => {
    const bad = await get(`${world.sim.url}/api/courses/big/memberships?limit=abc`)
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ errors: [{ field: 'limit' }] })
    expect((await get(`${world.sim.url}/api/courses/nope/memberships`)).status).toBe(404)
    expect((await get(`${world.sim.url}/api/courses/big/memberships`, MEDIA.lineItemContainer)).status).toBe(406)
  })

  it('uses a custom page size', async () => {
    await world.close()
    world = await startWorld({ pageSize: 2 })
    token = await accessToken(world.tool, world.sim, [SCOPES.memberships])
    const res = await get(`${world.sim.url}/api/courses/c1/memberships`)
    expect(((await res.json()) as Container).members).toHaveLength(2)
    expect(nextLink(res.headers.get('link'))).toBeDefined()
  })
})
