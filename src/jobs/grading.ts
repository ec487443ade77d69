import type { GradesConfig } from '../config'
import type { ProgressLoader } from '../domain/activities/progress-loader'
import { activitiesProgressSource } from '../domain/completion/activities-progress'
import { createCompletionService } from '../domain/completion/completion-service'
import type { CompletionRulesStore, LearnerStore } from '../domain/completion/ports'
import type { EventPublisher } from '../domain/events/domain-events'
import { createGradePublisher } from '../domain/grading/grade-publisher'
import { createLineItemResolver } from '../domain/grading/line-item-resolver'
import { createPlatformPacer } from '../domain/grading/platform-pacer'
import type { GradedCourseLookup, GradeLanes, GradeOutbox, GradeSyncStore } from '../domain/grading/ports'
import { createScoreSender } from '../domain/grading/score-sender'
import type { Logger } from '../domain/logger'
import { createAgsClient } from '../lti/ags-client'
import { createServiceTokenCache, type ServiceTokens } from '../lti/service-token-cache'
import { createGradeWorker } from './grade-worker'

export interface GradeSendingStores { outbox: GradeOutbox, lanes: GradeLanes }
export interface GradingStores extends GradeSendingStores {
  rules: CompletionRulesStore
  learners: LearnerStore
  syncs: GradeSyncStore
  findCourse: GradedCourseLookup
}

export interface GradingDeps<S extends GradeSendingStores = GradeSendingStores> {
  stores: S
  tokens: ServiceTokens
  config: GradesConfig
  log: Logger
}

/** The AGS client and the outbox worker: all a process needs to send queued scores (src/jobs/grade-worker-main.ts). */
export function buildGradeSending ({ stores: { outbox, lanes }, tokens, config, log }: GradingDeps) {
  const ags = createAgsClient({ tokens: createServiceTokenCache(tokens), timeoutMs: config.requestTimeoutMs })
  const send = createScoreSender({ ags, pacer: createPlatformPacer(), backoff: { baseMs: config.retryBaseMs, maxMs: config.retryMaxSeconds * 1000 } })
  const worker = createGradeWorker({ outbox, lanes, send, concurrency: config.concurrency, leaseMs: config.leaseSeconds * 1000, pollMs: config.pollMs, log })
  return { ags, outbox, lanes, worker }
}

/** Completion and grade passback, built from their stores and configuration; `start`ed by the app, `close`d with it. */
export function buildGrading (deps: GradingDeps<GradingStores> & { events: EventPublisher, progressLoader: Pick<ProgressLoader, 'input'> }) {
  const { ags, outbox, lanes, worker } = buildGradeSending(deps)
  const { syncs, learners, rules, findCourse } = deps.stores
  const progress = activitiesProgressSource(deps.progressLoader.input, async (courseId) => (await learners.active(courseId)).map((l) => l.userId))
  const completion = createCompletionService({ rules, learners, progress, events: deps.events })
  const publisher = createGradePublisher({
    completion,
    findCourse,
    resolveLineItem: createLineItemResolver({ ags, syncs }),
    syncs,
    outbox,
    kick: worker.kick,
    log: deps.log
  })
  return {
    completion,
    publisher,
    /** Computes the students' (or every active student's) completion now and queues the scores that changed. */
    recompute: publisher.recompute,
    outbox,
    lanes,
    syncs,
    learners,
    worker,
    start: (): void => {
      if (deps.config.worker) worker.start()
      publisher.start(deps.config.recomputeRetrySeconds * 1000)
    },
    close: async (): Promise<void> => {
      await publisher.close()
      await worker.stop()
    }
  }
}

export type Grading = ReturnType<typeof buildGrading>

declare module 'fastify' {
  interface FastifyInstance {
    /** Completion and grade passback; `grading.recompute(courseId, studentUserIds?)` queues the scores that changed. */
    grading: Grading
  }
}
