import type { DomainEvent, DomainEventType, EventOf, EventPublisher } from './domain-events'

export type EventHandler<T extends DomainEventType> = (event: EventOf<T>) => Promise<void> | void

export interface EventBus extends EventPublisher {
  /** Calls `handler` for every event of the given types; returns a function that stops it. */
  subscribe: <T extends DomainEventType>(types: T | readonly T[], handler: EventHandler<T>) => () => void
}

/**
 * The one in-process bus. `publish` waits for every subscriber, so a request that changed something answers only
 * after the subscribers have taken note (a subscriber that must survive a crash writes its own durable work item
 * there). A failing subscriber is reported and never fails the change that was already made.
 */
export function createEventBus (onSubscriberError: (err: unknown, event: DomainEvent) => void): EventBus {
  type AnyHandler = (event: DomainEvent) => Promise<void> | void
  const handlers = new Map<DomainEventType, Set<AnyHandler>>()
  return {
    subscribe: (types, handler) => {
      const list: readonly DomainEventType[] = typeof types === 'string' ? [types] : types
      // Only events of the subscribed types reach the handler, so it sees the type it asked for.
      const any = handler as unknown as AnyHandler
      for (const type of list) {
        const set = handlers.get(type) ?? new Set()
        set.add(any)
        handlers.set(type, set)
      }
      return () => { for (const type of list) handlers.get(type)?.delete(any) }
    },
    publish: async (event) => {
      const subscribers = [...(handlers.get(event.type) ?? [])]
      await Promise.all(subscribers.map(async (handle) => {
        try {
          await handle(event)
        } catch (err) {
          onSubscriberError(err, event)
        }
      }))
    }
  }
}
