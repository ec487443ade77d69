import type { DomainEvent } from '../../src/domain/events/domain-events'
import { createEventBus } from '../../src/domain/events/event-bus'

const launched: DomainEvent = { type: 'MemberJoined', courseId: 'c1', userId: 'u1', role: 'student' }
const synced: DomainEvent = { type: 'RosterSynced', courseId: 'c1' }
const rules: DomainEvent = { type: 'RulesChanged', courseId: 'c1', byUserId: 'u2' }

describe('the event bus', () => {
  it('calls a subscriber for its types only, until it unsubscribes', async () => {
    const bus = createEventBus(() => { throw new Error('no subscriber fails here') })
    const seen: string[] = []
    const stop = bus.subscribe(['MemberJoined', 'RosterSynced'], (event) => { seen.push(event.type) })
    await bus.publish(launched)
    await bus.publish(rules)
    await bus.publish(synced)
    stop()
    await bus.publish(launched)
    expect(seen).toEqual(['MemberJoined', 'RosterSynced'])
  })

  it('gives every subscriber of a type the event, a single type given as a string', async () => {
    const bus = createEventBus(() => {})
    const seen: string[] = []
    bus.subscribe('RulesChanged', (event) => { seen.push(`a:${event.byUserId}`) })
    const stopB = bus.subscribe('RulesChanged', (event) => { seen.push(`b:${event.courseId}`) })
    await bus.publish(rules)
    stopB()
    await bus.publish(rules)
    expect(seen).toEqual(['a:u2', 'b:c1', 'a:u2'])
  })

  it('reports a failing subscriber and still resolves, the other subscribers served', async () => {
    const failures: Array<{ err: unknown, event: DomainEvent }> = []
    const bus = createEventBus((err, event) => { failures.push({ err, event }) })
    const boom = new Error('boom')
    let served = 0
    bus.subscribe('MemberJoined', async () => { throw boom })
    bus.subscribe('MemberJoined', () => { throw boom })
    bus.subscribe('MemberJoined', async () => { served++ })
    await expect(bus.publish(launched)).resolves.toBeUndefined()
    expect(served).toBe(1)
    expect(failures).toEqual([{ err: boom, event: launched }, { err: boom, event: launched }])
  })

  it('resolves only once every async subscriber has finished', async () => {
    const bus = createEventBus(() => {})
    const done: string[] = []
    bus.subscribe('RosterSynced', async () => { await new Promise((resolve) => setTimeout(resolve, 30)); done.push('slow') })
    bus.subscribe('RosterSynced', async () => { await Promise.resolve(); done.push('quick') })
    await bus.publish(synced)
    expect(done.sort()).toEqual(['quick', 'slow'])
  })

  it('resolves at once when nobody subscribed', async () => {
    await expect(createEventBus(() => {}).publish(synced)).resolves.toBeUndefined()
  })
})
