import { MEDIA, SCOPES, type LineItem } from '@mentorlink/simulator'
import { accessToken } from './support/fake-tool'
import { startWorld, type World } from './support/world'

describe('simulator AGS', () => {
  let world: World
  let token: string
  let lineItems: string
  beforeAll(async () => {
    world = await startWorld()
    token = await accessToken(world.tool, world.sim, [SCOPES.lineItem, SCOPES.score, SCOPES.resultReadOnly])
    lineItems = `${world.sim.url}/api/courses/c1/lineitems`
  })
  afterAll(async () => { await world.close() })

  const send = async (url: string, method: string, body: unknown, type: string) => await fetch(url, {
    method, body: JSON.stringify(body), headers: { authorization: `Bearer ${token}`, 'content-type': type }
  })
  const get = async (url: string, accept: string) => await fetch(url, { headers: { authorization: `Bearer ${token}`, accept } })
  const createItem = async (body: unknown) => await send(lineItems, 'POST', body, MEDIA.lineItem)
  const score = (userId: string, timestamp: string, extra: object = {}) => ({
    userId, timestamp, activityProgress: 'Completed', gradingProgress: 'FullyGraded', scoreGiven: 8, scoreMaximum: 10, ...extra
  })
  const postScore = async (item: LineItem, body: unknown) => await send(`${item.id}/scores`, 'POST', body, MEDIA.score)

  it('creates, lists, reads, updates and deletes line items', async () => {
    const created = await createItem({ label: 'Mentoring', scoreMaximum: 100, resourceLinkId: 'rl-1', tag: 'mentoring' })
    expect(created.status).toBe(201)
    expect(created.headers.get('content-type')).toBe(`${MEDIA.lineItem}; charset=utf-8`)
    const item = await created.json() as LineItem
    expect(item).toMatchObject({ id: expect.stringMatching(`^${lineItems}/`), label: 'Mentoring', scoreMaximum: 100 })
    await createItem({ label: 'Other', scoreMaximum: 5 })

    const list = await get(`${lineItems}?tag=mentoring`, MEDIA.lineItemContainer)
    expect(list.headers.get('content-type')).toBe(`${MEDIA.lineItemContainer}; charset=utf-8`)
    expect(await list.json()).toEqual([item])
    expect(await (await get(`${lineItems}?resource_link_id=rl-1`, MEDIA.lineItemContainer)).json()).toEqual([item])
    expect(await (await get(item.id, MEDIA.lineItem)).json()).toEqual(item)

    const put = await send(item.id, 'PUT', { ...item, label: 'Renamed', scoreMaximum: 50 }, MEDIA.lineItem)
    expect(await put.json()).toMatchObject({ id: item.id, label: 'Renamed', scoreMaximum: 50 })
    expect(world.sim.lineItems('c1').map(i => i.label)).toEqual(['Renamed', 'Other'])

    const del = await fetch(item.id, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })
    expect(del.status).toBe(204)
    expect((await get(item.id, MEDIA.lineItem)).status).toBe(404)
  })

  it.each([
    ['label', { scoreMaximum: 10 }],
    ['scoreMaximum', { label: 'No max' }],
    ['scoreMaximum', { label: 'Zero', scoreMaximum: 0 }]
  ])('refuses a line item without a valid %s', async (field, body) => {
    const res = await createItem(body)
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ errors: [{ field }] })
  })

  it('refuses writes with a read-only token and bodies of another media type', async () => {
    const readOnly = await accessToken(world.tool, world.sim, [SCOPES.lineItemReadOnly])
    const res = await fetch(lineItems, {
      method: 'POST', body: '{}', headers: { authorization: `Bearer ${readOnly}`, 'content-type': MEDIA.lineItem }
    })
    expect(res.status).toBe(401)
    expect((await send(lineItems, 'POST', { label: 'x', scoreMaximum: 1 }, 'text/plain')).status).toBe(415)
  })

  describe('scores and results', () => {
    let item: LineItem
    beforeAll(async () => { item = await (await createItem({ label: 'Graded', scoreMaximum: 20 })).json() as LineItem })

    it('stores scores, refuses stale timestamps with 409 and reports the latest as results', async () => {
      const before = world.sim.stats.scorePosts
      expect((await postScore(item, score('alice', '2025-03-01T10:00:00.123456Z'))).status).toBe(200)
      expect((await postScore(item, score('alice', '2025-03-01T10:00:00.123457Z', { scoreGiven: 9 }))).status).toBe(200)
      const stale = await postScore(item, score('alice', '2025-03-01T10:00:00.123457Z', { scoreGiven: 1 }))
      expect(stale.status).toBe(409)
      expect(await stale.json()).toMatchObject({ errors: [{ field: 'timestamp' }] })
      expect((await postScore(item, score('bob', '2025-03-01T12:00:00+02:00', { gradingProgress: 'Pending', comment: 'wip' }))).status).toBe(200)
      expect(world.sim.stats.scorePosts).toBe(before + 4)

      expect(world.sim.gradebook('c1', item.id)).toEqual([
        expect.objectContaining({ userId: 'alice', scoreGiven: 9, scoreMaximum: 10, lineItemId: item.id }),
        expect.objectContaining({ userId: 'bob', gradingProgress: 'Pending' })
      ])
      expect(world.sim.state.scoreHistory.filter(s => s.lineItemId === item.id)).toHaveLength(3)

      const results = await get(`${item.id}/results`, MEDIA.resultContainer)
      expect(results.headers.get('content-type')).toBe(`${MEDIA.resultContainer}; charset=utf-8`)
      expect(await results.json()).toEqual([
        { id: `${item.id}/results/alice`, scoreOf: item.id, userId: 'alice', resultScore: 18, resultMaximum: 20 },
        { id: `${item.id}/results/bob`, scoreOf: item.id, userId: 'bob', resultMaximum: 20, comment: 'wip' }
      ])
      const one = await get(`${item.id}/results?user_id=bob`, MEDIA.resultContainer)
      expect((await one.json() as unknown[])).toHaveLength(1)
    })

    it('answers 422 for users who are not active learners', async () => {
      for (const userId of ['teacher', 'olga', 'nobody']) {
        const res = await postScore(item, score(userId, new Date().toISOString()))
        expect(res.status).toBe(422)
      }
      world.sim.setMemberStatus('c1', 'bob', 'Inactive')
      expect((await postScore(item, score('bob', new Date().toISOString()))).status).toBe(422)
      world.sim.setMemberStatus('c1', 'bob', 'Active')
    })

    it.each([
      ['userId', { userId: undefined }],
      ['timestamp', { timestamp: 'yesterday' }],
      ['activityProgress', { activityProgress: 'Done' }],
      ['gradingProgress', { gradingProgress: 'Graded' }],
      ['scoreGiven', { scoreGiven: -1 }],
      ['scoreMaximum', { scoreMaximum: undefined }]
    ])('answers 400 naming %s', async (field, overrides) => {
      const res = await postScore(item, { ...score('alice', new Date().toISOString()), ...overrides })
      expect(res.status).toBe(400)
      expect(await res.json()).toMatchObject({ errors: [{ field }] })
    })

    it('answers 404 for scores on an unknown line item', async () => {
      expect((await postScore({ ...item, id: `${lineItems}/999` }, score('alice', new Date().toISOString()))).status).toBe(404)
    })

    it('deletes a line item as a teacher would, with its scores: scores sent to it are then answered 404', async () => {
      const doomed = world.sim.addLineItem('c1', { label: 'Doomed', scoreMaximum: 10 })
      expect((await postScore(doomed, score('alice', new Date().toISOString()))).status).toBe(200)
      world.sim.deleteLineItem('c1', doomed.id)
      expect(world.sim.gradebook('c1', doomed.id)).toEqual([])
      expect((await postScore(doomed, score('alice', new Date().toISOString()))).status).toBe(404)
      expect(() => { world.sim.deleteLineItem('c1', doomed.id) }).toThrow(/no line item/)
    })
  })

  it('can answer stale scores Canvas style (400)', async () => {
    const canvas = await startWorld({ staleScoreStatus: 400 })
    try {
      const item = canvas.sim.addLineItem('c1', { label: 'Graded', scoreMaximum: 10 })
      const scorer = await accessToken(canvas.tool, canvas.sim, [SCOPES.score])
      const post = async () => await fetch(`${item.id}/scores`, {
        method: 'POST',
        body: JSON.stringify(score('alice', '2025-03-01T10:00:00Z')),
        headers: { authorization: `Bearer ${scorer}`, 'content-type': 'application/json' }
      })
      expect((await post()).status).toBe(200)
      expect((await post()).status).toBe(400)
    } finally {
      await canvas.close()
    }
  })
})
