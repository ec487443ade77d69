import type { DomainEvent } from '../../../src/domain/events/domain-events'
import { placeLateStudent, type PairingState } from '../../../src/domain/pairing'
import { explainPair } from '../../../src/domain/pairing-workflow/explain-pair'
import { createPairingMaintenance } from '../../../src/domain/pairing-workflow/pairing-maintenance'
import type { ActivePairing, PairingInputs, PairingMaintenanceStore, PairingPlan, ProposedPair } from '../../../src/domain/pairing-workflow/pairing-ports'

const plan: PairingPlan = {
  method: 'stable', balanceLoad: false, differentOrganisation: false, reserveFraction: 0.2, seed: 'unpaired',
  locked: [{ studentId: 's7', mentorId: 'm1' }], forbidden: [{ studentId: 's3', mentorId: 'm0' }], publishedAt: new Date('2026-09-01')
}
const TAGS = ['finance', 'rhetoric', 'strategy', 'negotiation']
const inputs: PairingInputs = {
  students: Array.from({ length: 40 }, (_, i) => ({
    id: `s${i}`, name: `Student ${i}`, tags: [TAGS[i % 4]!], goals: '', organisation: '', ranking: i % 5 === 0 ? [`m${i % 3}`] : [], hasIntake: true
  })),
  mentors: Array.from({ length: 4 }, (_, i) => ({ id: `m${i}`, name: `Mentor ${i}`, organisation: '', tags: [TAGS[i]!], capacity: 8, active: true }))
}
/** Every fourth student paired at publication (with capacity left for most of the others). */
const published: ActivePairing[] = inputs.students.filter((_, i) => i % 4 === 1).map((s, i) => ({ studentId: s.id, mentorId: `m${i % 4}`, publishedAt: plan.publishedAt! }))

type Placement = ProposedPair & { explanation: string }

function fakeStore (placeMany: (placements: readonly Placement[]) => Promise<ProposedPair[]>, afterwards: () => ActivePairing[]): PairingMaintenanceStore {
  let calls = 0
  const store: Partial<PairingMaintenanceStore> = {
    planOf: async () => plan,
    loadInputs: async () => inputs,
    activeList: async () => calls++ === 0 ? published : afterwards(),
    placeMany: async (_courseId, placements) => await placeMany(placements),
    withCourseLease: async (_courseId, work) => await work()
  }
  return store as PairingMaintenanceStore
}

/** What placing the unpaired students one by one with placeLateStudent gives. */
function oneByOne (): Placement[] {
  const paired = new Set(published.map((p) => p.studentId))
  let state: PairingState = {
    students: inputs.students.map((s) => ({ id: s.id, tags: s.tags, goals: s.goals, organisation: undefined, ranking: s.ranking })),
    mentors: inputs.mentors.map((m) => ({ id: m.id, tags: m.tags, organisation: undefined, capacity: m.capacity, active: true })),
    constraints: { locked: [['s7', 'm1']], forbidden: [['s3', 'm0']], differentOrganisation: false, reserveFraction: 0.2 },
    seed: 'unpaired',
    pairs: published.map(({ studentId, mentorId }) => ({ studentId, mentorId }))
  }
  const placements: Placement[] = []
  for (const student of state.students.filter((s) => !paired.has(s.id))) {
    const placed = placeLateStudent(state, student)
    state = placed.state
    if (placed.pair) placements.push({ studentId: placed.pair.studentId, mentorId: placed.pair.mentorId, explanation: explainPair(placed.pair.explanation) })
  }
  return placements
}

describe('placeUnpairedNow', () => {
  it('writes in one call what placing the students one by one gives, and announces the students written in one event', async () => {
    const events: DomainEvent[] = []
    let asked: readonly Placement[] = []
    // s2 was paired meanwhile (by another way in): the store refuses them.
    const store = fakeStore(async (placements) => { asked = placements; return placements.filter((p) => p.studentId !== 's2') }, () => [])
    const report = await createPairingMaintenance(store, { publish: async (e) => { events.push(e) } }).placeUnpairedNow('c1')

    const expected = oneByOne()
    expect(expected.length).toBeGreaterThan(20)
    expect(asked).toEqual(expected)
    expect(report.placed).toEqual(expected.map(({ studentId, mentorId }) => ({ studentId, mentorId })))
    expect(report.placed.length + report.unplaced.length).toBe(30)
    expect(report.unplaced.length).toBeGreaterThan(0)
    expect(events).toEqual([{ type: 'StudentsPlaced', courseId: 'c1', placed: expected.filter((p) => p.studentId !== 's2').map((p) => ({ studentUserId: p.studentId, mentorId: p.mentorId })) }])
  })

  it('announces the students written before the store failed, and fails', async () => {
    const events: DomainEvent[] = []
    let written: Placement[] = []
    const store = fakeStore(async (placements) => {
      written = placements.slice(0, 10)
      throw new Error('database is locked')
    }, () => [...published, ...written.map((p) => ({ ...p, publishedAt: new Date() }))])
    await expect(createPairingMaintenance(store, { publish: async (e) => { events.push(e) } }).placeUnpairedNow('c1')).rejects.toThrow('database is locked')
    expect(written).toHaveLength(10)
    expect(events).toEqual([{ type: 'StudentsPlaced', courseId: 'c1', placed: written.map((p) => ({ studentUserId: p.studentId, mentorId: p.mentorId })) }])
  })
})
