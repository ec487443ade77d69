import type { ScoreRecord, Simulator } from '@mentorlink/simulator'
import { FLEET_TOOL, type Fleet } from './fleet'
import { callApi, type JsonAnswer } from './http'
import { launchAs, seedCourse } from './lms'
import { QUICK_RULES } from './quick-rules'

/** Quick rules, with the sessions needed varying per save. */
const rulesNeeding = (sessions: number) => ({ ...QUICK_RULES, requirements: { ...QUICK_RULES.requirements, sessions: { need: sessions, points: 60 } } })
/** What the gradebook says of a student with no session yet, under rules needing `sessions` sessions. */
const expectedEntry = (sessions: number, reflected: boolean): { comment: string, scoreGiven: number } => ({
  comment: `Missing: ${sessions} more verified 1:1 session${sessions === 1 ? '' : 's'}${reflected ? '' : ', 1 more reflection'}.`,
  scoreGiven: reflected ? 40 : 0
})

export interface FleetCourse {
  students: string[]
  api: (method: string, path: string, body?: unknown) => Promise<JsonAnswer>
  /** Saves rules needing each number of sessions, all at once (so on different instances); answers the statuses. */
  saveRulesAtOnce: (needs: number[]) => Promise<number[]>
  /** Students whose gradebook entry is not what the rules saved last give (empty when exact); `reflected` wrote their reflection. */
  notUpToDate: (reflected?: ReadonlySet<string>) => Promise<string[]>
  gradebook: () => Map<string, ScoreRecord>
}

/**
 * A course of `size` students in the fleet's LMS, its instructor launched (which brings the roster in) and waited
 * for until every student is a member.
 */
export async function startFleetCourse (fleet: Fleet, course: string, size: number, timeoutMs = 60_000): Promise<FleetCourse> {
  const students = Array.from({ length: size }, (_, i) => `s${i}`)
  seedCourse(fleet.sim, course, [{ id: 'prof', name: 'Amara Okafor', roles: ['Instructor'] }, ...students.map((id) => ({ id, name: `Student ${id}`, roles: ['Learner' as const] }))])
  const launched = await launchAs(fleet.sim, { ...FLEET_TOOL, courseId: course, userId: 'prof' })
  const token = launched.sessionToken
  if (token === undefined) throw new Error(`the instructor's launch failed: ${launched.launch.status} ${launched.launchBody}`)
  const deadline = Date.now() + timeoutMs
  const { courses, memberships } = fleet.infra.db.models
  const courseId = (await courses.findOne({ contextId: course }, { _id: 1 }).lean())?._id
  while (await memberships.countDocuments({ courseId, role: 'student' }) < size) {
    if (Date.now() > deadline) throw new Error('the roster did not come in')
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  const api = async (method: string, path: string, body?: unknown): Promise<JsonAnswer> => await callApi(fleet.url, token, method, path, body)
  const gradebook = (): Map<string, ScoreRecord> => new Map(fleet.sim.gradebook(course).map((s) => [s.userId, s]))
  return {
    students,
    api,
    gradebook,
    saveRulesAtOnce: async (needs) => (await Promise.all(needs.map(async (need) => await api('PUT', '/api/v1/completion/rules', rulesNeeding(need))))).map((r) => r.status),
    notUpToDate: async (reflected = new Set()) => {
      const rules = (await api('GET', '/api/v1/completion/rules')).body as { rules: { requirements: { sessions: { need: number } } } }
      const book = gradebook()
      return students.filter((s) => {
        const expected = expectedEntry(rules.rules.requirements.sessions.need, reflected.has(s))
        return book.get(s)?.comment !== expected.comment || book.get(s)?.scoreGiven !== expected.scoreGiven
      })
    }
  }
}

/** Scores the LMS got more than once: posts it refused as older than its own, and accepted repeats of the same body. */
export function scoresSentTwice (sim: Simulator): number {
  const refused = sim.stats.scorePosts - sim.stats.throttled - sim.state.scoreHistory.length
  let repeats = 0
  const last = new Map<string, string>()
  for (const s of sim.state.scoreHistory) {
    const key = `${s.lineItemId} ${s.userId}`
    const body = JSON.stringify([s.scoreGiven, s.scoreMaximum, s.comment, s.activityProgress, s.gradingProgress])
    if (last.get(key) === body) repeats++
    last.set(key, body)
  }
  return refused + repeats
}
