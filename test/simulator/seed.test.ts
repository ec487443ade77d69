import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { applySeed, loadSeed, startSimulator, type SimulatorSeed } from '@mentorlink/simulator'

describe('simulator seed files', () => {
  const seed: SimulatorSeed = {
    users: [{ id: 'u1', name: 'Ada Lovelace', givenName: 'Ada', familyName: 'Lovelace', email: 'ada@example.edu' }],
    courses: [{ id: 'c1', label: 'C1', title: 'Course', members: [{ userId: 'u1', roles: ['Learner'], status: 'Active' }] }],
    tools: [{
      clientId: 'demo', deploymentIds: ['d1'], loginUrl: 'http://localhost:3000/lti/login',
      redirectUris: ['http://localhost:3000/lti/launch'], targetLinkUri: 'http://localhost:3000/lti/launch',
      jwksUrl: 'http://localhost:3000/lti/keys'
    }],
    lineItems: [{ courseId: 'c1', label: 'Mentoring', scoreMaximum: 10 }]
  }

  it('loads a JSON seed file into a running simulator', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'sim-seed-')), 'seed.json')
    await writeFile(path, JSON.stringify(seed))
    const sim = await startSimulator()
    try {
      applySeed(sim, await loadSeed(path))
      expect(sim.lineItems('c1')).toHaveLength(1)
      const { loginUrl, params } = sim.launchRequest({ clientId: 'demo', deploymentId: 'd1', courseId: 'c1', userId: 'u1' })
      expect(loginUrl).toBe('http://localhost:3000/lti/login')
      expect(params.iss).toBe(sim.issuer)
      const home = await (await fetch(sim.url)).text()
      expect(home).toContain('/launch?client_id=demo')
    } finally {
      await sim.close()
    }
  })

  it('names the invalid field of a bad seed', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'sim-seed-')), 'bad.json')
    await writeFile(path, JSON.stringify({ tools: [{ ...seed.tools?.[0], loginUrl: 'not a url' }] }))
    await expect(loadSeed(path)).rejects.toThrow(/tools\.0\.loginUrl/)
  })
})
