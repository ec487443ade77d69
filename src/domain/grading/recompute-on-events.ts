import { PROGRESS_EVENTS } from '../events/domain-events'
import type { EventBus } from '../events/event-bus'
import type { Id } from '../ids'
import type { GradePublisher } from './grade-publisher'

/**
 * Every event after which a student's completion may differ marks the course for a grade recompute. Awaited, so
 * the course's durable mark is set before `publish` resolves: a crash right after the change still recomputes.
 * The mark waits for this process's progress read model to apply the event (`progressApplied`): a recompute in
 * another process, which may take the mark up at once, then reads progress with the change in it.
 */
export function subscribeGradeRecompute (bus: Pick<EventBus, 'subscribe'>, publisher: Pick<GradePublisher, 'changed'>, progressApplied: (courseId: Id) => Promise<void>): () => void {
  return bus.subscribe(PROGRESS_EVENTS, async (event) => {
    await progressApplied(event.courseId)
    await publisher.changed(event.courseId)
  })
}
