import type { PairingInputs, PairingRunRecord, PlanSettings } from '../../src/domain/pairing-workflow/pairing-ports'
import { planPairing } from '../../src/domain/pairing-workflow/plan-pairing'
import { pairingPreview } from '../../src/routes/pairing/preview-view'

const inputs: PairingInputs = {
  students: [
    { id: 's1', name: 'Lucia Ferreira', tags: ['finance'], goals: '', organisation: 'Castellan Foods', ranking: [], hasIntake: true },
    { id: 's2', name: 'Tomasz Nowak', tags: [], goals: '', organisation: '', ranking: [], hasIntake: false }
  ],
  mentors: [
    { id: 'm1', name: 'Daniel Reyes', organisation: ' castellan foods', tags: ['finance'], capacity: 1, active: true },
    { id: 'm2', name: 'Helena Berg', organisation: '', tags: ['rhetoric'], capacity: 1, active: true }
  ]
}
const settings: PlanSettings = { method: 'stable', balanceLoad: false, differentOrganisation: false, reserveFraction: 0, seed: 't', locked: [], forbidden: [] }

describe('the pairing preview', () => {
  const run: PairingRunRecord = { id: 'r1', courseId: 'c1', createdBy: 'u1', method: 'stable', seed: 't', settings, inputs, ...planPairing(inputs, settings), publishedAt: null }
  const preview = pairingPreview(run, { ...settings, publishedAt: null })
  const pairOf = (student: string) => preview.pairs.find((p) => p.studentId === student)

  it('flags a pair from the same organisation (allowed unless the instructor forbids it) and a pair made on no information', () => {
    expect(pairOf('s1')).toMatchObject({ mentorId: 'm1', sameOrganisation: true, noIntake: false })
    expect(pairOf('s2')).toMatchObject({ mentorId: 'm2', sameOrganisation: false, noIntake: true })
  })

  it('writes each explanation as a sentence', () => {
    for (const pair of preview.pairs) expect(pair.explanation.charAt(0)).toBe(pair.explanation.charAt(0).toUpperCase())
  })
})
