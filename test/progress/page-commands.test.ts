import mongoose from 'mongoose'
import { launchAs } from '../helpers/lms'
import { watchCommands } from '../helpers/database-commands'
import { startWorld, type World } from '../activities/support'

/**
 * How many database commands a launch and each home page send, counted with the driver's command monitoring on
 * both connections (Mentorlink's and ltijs's): the embedded database answers each in milliseconds however small,
 * so the count, not the timing, is what must not creep up. Work a request leaves in the background is counted too.
 */
let world: World
let commands: ReturnType<typeof watchCommands>
let ltijsCommands = 0

beforeAll(async () => {
  world = await startWorld()
  // Their idle polling would be counted with whatever request it overlaps.
  await world.app.grading.worker.stop()
  await world.app.mail.worker?.stop()
  commands = watchCommands(world.app)
  mongoose.connection.getClient().on('commandStarted', () => { ltijsCommands++ })
})
afterAll(async () => { await world?.close() })

async function countOf (work: () => Promise<unknown>): Promise<number> {
  await world.app.settled()
  const before = commands.count() + ltijsCommands
  await work()
  await world.app.settled()
  return commands.count() + ltijsCommands - before
}

const page = (who: string, path: string) => async () => {
  const res = await fetch(`${world.app.config.publicUrl}${path}?session=${encodeURIComponent(world.people[who]?.token ?? '')}`, { headers: { accept: 'text/html' } })
  expect(res.status).toBe(200)
  return await res.text()
}

// A student's and a mentor's home read their students' assessments once more (one find, for the prompt of open
// assessments and the self-assessments completion counts).
it.each([
  ['student home', 's1', '/student', 7],
  ['mentor home', 'm1', '/mentor', 7],
  ['instructor home', 'instructor', '/instructor', 6]
])('the %s sends at most its budget of database commands', async (_name, who, path, budget) => {
  await page(who, path)() // the first read of a course builds its read model
  expect(await countOf(page(who, path))).toBeLessThanOrEqual(budget)
})

it('the home pages show what their commands read', async () => {
  expect(await page('m1', '/mentor')()).toContain(world.people.s1?.name)
  expect(await page('s1', '/student')()).toContain(world.people.m1?.name)
})

it.each([
  ['student', 9, 's1'],
  ['mentor', 9, 'm1'],
  ['instructor', 8, 'instructor']
])('a returning %s\'s launch, landing page included, sends at most %i database commands', async (_role, budget, who) => {
  const again = async () => {
    const result = await launchAs(world.sim, { clientId: 'client-1', deploymentId: 'deploy-1', courseId: 'course-a', userId: who })
    expect(result.home?.status).toBe(200)
  }
  await again()
  // 4 for the launch (the state's claim, course, membership, session: the state is signed, the user unchanged since
  // this process wrote them) and 4 for the home page (the session and course the launch had just written are reused),
  // a student's or mentor's one more for their students' assessments.
  expect(await countOf(again)).toBeLessThanOrEqual(budget)
})
