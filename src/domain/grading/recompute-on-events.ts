import { PROGRESS_EVENTS } from '../events/domain-events'
import type { EventBus } from '../events/event-bus'
import type { GradePublisher } from './grade-publisher'

/**
 * Every event after which a student's completion may differ marks the course for a grade recompute. Awaited, so
 * the course's durable flag is set before `publish` resolves: a crash right after the change still recomputes.
 */
export function subscribeGradeRecompute (bus: Pick<EventBus, 'subscribe'>, publisher: Pick<GradePublisher, 'changed'>): () => void {
  return bus.subscribe(PROGRESS_EVENTS, async (event) => { await publisher.changed(event.courseId) })
}
