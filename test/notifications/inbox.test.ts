import type { FastifyInstance } from 'fastify'
import { createLeases } from '../../src/persistence/leases'
import { createInboxRepository } from '../../src/persistence/repositories/inbox.repository'
import { startTestApp } from '../helpers/test-app'

/**
 * The in-app lists on the real database: many items in one delivery, and writers racing on the same lists (several
 * processes telling the same people at once): every item is listed once, newest first, and the unread count holds.
 */
let app: FastifyInstance
beforeAll(async () => { app = await startTestApp() })
afterAll(async () => { await app?.close() })

const item = (id: string, at = new Date()) => ({ id, kind: 'pairing', text: `notice ${id}`, page: '/student', at })

it('delivers many items in one go, several to one list, and counts them unread until read', async () => {
  const inbox = createInboxRepository(app.db.models, createLeases(app.db.models))
  const entries = Array.from({ length: 60 }, (_, i) => ({ recipient: `u:p${i % 30}`, item: item(`bulk-${i}`, new Date(Date.now() + i)) }))
  await inbox.deliverMany('course-bulk', entries)
  expect(await inbox.unread('course-bulk', 'u:p7')).toBe(2)
  expect((await inbox.latest('course-bulk', 'u:p7', 10)).map((i) => i.id)).toEqual(['bulk-37', 'bulk-7'])
  await inbox.markRead('course-bulk', 'u:p7')
  expect(await inbox.unread('course-bulk', 'u:p7')).toBe(0)
  await inbox.deliverMany('course-bulk', [{ recipient: 'u:p7', item: item('later') }])
  expect(await inbox.latest('course-bulk', 'u:p7', 10)).toEqual([expect.objectContaining({ id: 'later', unread: true }), expect.objectContaining({ id: 'bulk-37', unread: false }), expect.objectContaining({ id: 'bulk-7', unread: false })])
})

it('keeps every item once when deliveries race on the same lists', async () => {
  const inbox = createInboxRepository(app.db.models, createLeases(app.db.models))
  const lists = ['u:a', 'u:b', 'u:c', 'm:d']
  await Promise.all([
    ...Array.from({ length: 4 }, async (_, w) => {
      await inbox.deliverMany('course-race', lists.flatMap((recipient) => [0, 1, 2].map((k) => ({ recipient, item: item(`w${w}-${recipient}-${k}`) }))))
    }),
    ...Array.from({ length: 8 }, async (_, s) => { await inbox.deliver('course-race', lists[s % lists.length] ?? '', item(`single-${s}`)) })
  ])
  for (const [i, recipient] of lists.entries()) {
    const ids = (await inbox.latest('course-race', recipient, 100)).map((x) => x.id)
    const expected = [...Array.from({ length: 4 }, (_, w) => [0, 1, 2].map((k) => `w${w}-${recipient}-${k}`)).flat(), `single-${i}`, `single-${i + 4}`]
    expect(ids.sort()).toEqual(expected.sort())
    expect(await inbox.unread('course-race', recipient)).toBe(expected.length)
  }
})
