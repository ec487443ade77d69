import { getPage, postForm, unescapeHtml } from '../helpers/http'
import { startPoolWorld, type PoolWorld } from './support/pool-world'

let world: PoolWorld
let amara: string

const grace = { name: 'Grace Hopper', email: 'grace@navy.example', organisation: 'US Navy', jobTitle: 'Rear Admiral', expertise: 'compilers, leadership', capacity: '5', bio: 'Found the first bug.' }
const mentors = async () => await world.app.db.models.mentors.find({}).lean()

beforeAll(async () => {
  world = await startPoolWorld()
  amara = await world.session('u-amara')
})
afterAll(async () => { await world?.close() })

describe('the mentor pool pages', () => {
  it('shows a "Mentor pool" entry in the instructor navigation and an empty pool with its actions', async () => {
    const home = await getPage(world.base, amara, '/instructor')
    expect(home.html).toMatch(/<a href="\/instructor\/pool\?session(=|&#x3D;)[^"]+"[^>]*>Mentor pool<\/a>/)
    const page = await getPage(world.base, amara, '/instructor/pool')
    expect(page.status).toBe(200)
    expect(page.html).toContain('<h1>Mentor pool</h1>')
    expect(page.html).toContain('No mentors yet')
    expect(page.html).toContain('Import mentors from CSV')
  })

  it('shows the set-up step "Mentor pool" as to do until the pool has an active mentor', async () => {
    const home = await getPage(world.base, amara, '/instructor')
    expect(home.html).toMatch(/checklist-todo">\s*<span class="checklist-label">Mentor pool/)
  })

  it('adds a mentor from the form, then confirms it on the pool page', async () => {
    const form = await getPage(world.base, amara, '/instructor/pool/mentors/new')
    expect(form.html).toContain('<label for="mentor-email">Email')
    expect(form.html).toMatch(/<input type="hidden" name="session" value="[^"]+">/)
    const res = await postForm(world.base, amara, '/instructor/pool/mentors', grace)
    expect(res.status).toBe(303)
    expect(res.location).toMatch(/^\/instructor\/pool\?notice=added&session=/)
    const page = await getPage(world.base, amara, res.location?.replace(/&session=.*$/, '') ?? '')
    expect(page.html).toContain('role="status">Mentor added to the pool.')
    expect(page.html).toContain('Grace Hopper')
    expect(page.html).toContain('compilers; leadership')
    expect(page.html).toContain('Not invited yet')
    const [saved] = await mentors()
    expect(saved).toMatchObject({ name: 'Grace Hopper', email: 'grace@navy.example', expertise: ['compilers', 'leadership'], capacity: 5, active: true, source: 'external' })
  })

  it('marks the set-up step done once an active mentor is in the pool', async () => {
    const home = await getPage(world.base, amara, '/instructor')
    expect(home.html).toMatch(/checklist-done">\s*<span class="checklist-label">Mentor pool/)
  })

  it('shows each bad field next to it, keeps what was typed and stores nothing', async () => {
    const before = (await mentors()).length
    const typed = { ...grace, name: '', email: 'not an email', capacity: '77', bio: 'Kept <as> typed' }
    const res = await postForm(world.base, amara, '/instructor/pool/mentors', typed)
    expect(res.status).toBe(400)
    expect(res.html).toContain('<title>Error: Add a mentor')
    expect(res.html).toMatch(/id="mentor-name-error"[^>]*>.*is required/)
    expect(res.html).toMatch(/id="mentor-email-error"[^>]*>.*must be a valid email address/)
    expect(res.html).toMatch(/id="mentor-capacity-error"[^>]*>.*from 1 to 50/)
    expect(res.html).toMatch(/id="mentor-email"[^>]*aria-describedby="mentor-email-hint mentor-email-error" aria-invalid="true"/)
    expect(res.html).toContain('href="#mentor-capacity"')
    expect(unescapeHtml(res.html)).toContain('value="not an email"')
    expect(unescapeHtml(res.html)).toContain('>Kept <as> typed</textarea>')
    expect((await mentors()).length).toBe(before)
  })

  it('refuses an email already in the pool next to the email field', async () => {
    const res = await postForm(world.base, amara, '/instructor/pool/mentors', { ...grace, name: 'Grace Two', email: 'GRACE@navy.example' })
    expect(res.status).toBe(409)
    expect(res.html).toMatch(/id="mentor-email-error"[^>]*>.*is already in the pool/)
    expect(res.html).toContain('value="Grace Two"')
    expect((await mentors()).length).toBe(1)
  })

  it('edits a mentor, with the same field checks', async () => {
    const [saved] = await mentors()
    const id = String(saved?._id)
    const edit = await getPage(world.base, amara, `/instructor/pool/mentors/${id}/edit`)
    expect(edit.html).toContain('value="Grace Hopper"')
    const bad = await postForm(world.base, amara, `/instructor/pool/mentors/${id}`, { ...grace, capacity: 'lots' })
    expect(bad.status).toBe(400)
    expect((await mentors())[0]?.capacity).toBe(5)
    const ok = await postForm(world.base, amara, `/instructor/pool/mentors/${id}`, { ...grace, capacity: '2', organisation: 'Navy' })
    expect(ok.status).toBe(303)
    expect((await mentors())[0]).toMatchObject({ capacity: 2, organisation: 'Navy', active: true })
  })

  it('deactivates and reactivates from the edit page', async () => {
    const id = String((await mentors())[0]?._id)
    const off = await postForm(world.base, amara, `/instructor/pool/mentors/${id}/active`, { active: 'false' })
    expect(off.location).toContain('notice=deactivated')
    expect((await mentors())[0]?.active).toBe(false)
    const page = await getPage(world.base, amara, '/instructor/pool')
    expect(page.html).toContain('Inactive')
    expect((await getPage(world.base, amara, '/instructor')).html).toMatch(/checklist-todo">\s*<span class="checklist-label">Mentor pool/)
    const bad = await postForm(world.base, amara, `/instructor/pool/mentors/${id}/active`, { active: 'maybe' })
    expect(bad.status).toBe(400)
    const on = await postForm(world.base, amara, `/instructor/pool/mentors/${id}/active`, { active: 'true' })
    expect(on.location).toContain('notice=reactivated')
    expect((await mentors())[0]?.active).toBe(true)
  })

  it('refuses a form post without the session field, and a student or LMS mentor, changing nothing', async () => {
    const before = JSON.stringify(await mentors())
    expect((await postForm(world.base, undefined, '/instructor/pool/mentors', { ...grace, email: 'x@example.org' })).status).toBe(401)
    for (const user of ['u-lucia', 'u-daniel']) {
      const token = await world.session(user)
      expect((await getPage(world.base, token, '/instructor/pool')).status).toBe(403)
      expect((await postForm(world.base, token, '/instructor/pool/mentors', { ...grace, email: 'x@example.org' })).status).toBe(403)
      const id = String((await mentors())[0]?._id)
      expect((await postForm(world.base, token, `/instructor/pool/mentors/${id}/active`, { active: 'false' })).status).toBe(403)
    }
    expect(JSON.stringify(await mentors())).toBe(before)
  })

  it('answers 404 to another course instructor editing this pool by id', async () => {
    const ines = await world.session('u-ines', 'mgt541')
    const id = String((await mentors())[0]?._id)
    expect((await getPage(world.base, ines, `/instructor/pool/mentors/${id}/edit`)).status).toBe(404)
    expect((await postForm(world.base, ines, `/instructor/pool/mentors/${id}`, grace)).status).toBe(404)
    expect((await getPage(world.base, ines, '/instructor/pool')).html).not.toContain('Grace Hopper')
  })
})
