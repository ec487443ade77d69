import type { FastifyBaseLogger } from 'fastify'
import { Types } from 'mongoose'
import type { GradesConfig } from '../config'
import { createCompletionService } from '../domain/completion/completion-service'
import { activitiesProgressSource } from '../domain/completion/activities-progress'
import type { ProgressLoader } from '../domain/activities/progress-loader'
import { createGradePublisher } from '../domain/grading/grade-publisher'
import { createLineItemResolver } from '../domain/grading/line-item-resolver'
import { createPlatformPacer } from '../domain/grading/platform-pacer'
import { createScoreSender } from '../domain/grading/score-sender'
import { createAgsClient } from '../lti/ags-client'
import { createServiceTokenCache, type ServiceTokens } from '../lti/service-token-cache'
import type { Models } from '../persistence/database'
import { createCompletionRulesRepository } from '../persistence/repositories/completion-rules.repository'
import { createGradeLaneRepository } from '../persistence/repositories/grade-lane.repository'
import { createGradeOutboxRepository } from '../persistence/repositories/grade-outbox.repository'
import { createGradeSyncRepository } from '../persistence/repositories/grade-sync.repository'
import { createLearnerRepository } from '../persistence/repositories/learner.repository'
import { createTenancyRepository } from '../persistence/repositories/tenancy.repository'
import { createGradeWorker } from './grade-worker'

export interface GradingDeps {
  models: Models
  tokens: ServiceTokens
  config: GradesConfig
  log: FastifyBaseLogger
}

/** The AGS client and the outbox worker: all a process needs to send queued scores (src/jobs/grade-worker-main.ts). */
export function buildGradeSending ({ models, tokens, config, log }: GradingDeps) {
  const ags = createAgsClient({ tokens: createServiceTokenCache(tokens), timeoutMs: config.requestTimeoutMs })
  const outbox = createGradeOutboxRepository(models)
  const lanes = createGradeLaneRepository(models)
  const send = createScoreSender({ ags, pacer: createPlatformPacer(), backoff: { baseMs: config.retryBaseMs, maxMs: config.retryMaxSeconds * 1000 } })
  const worker = createGradeWorker({ outbox, lanes, send, concurrency: config.concurrency, leaseMs: config.leaseSeconds * 1000, pollMs: config.pollMs, log })
  return { ags, outbox, lanes, worker }
}

/** Completion and grade passback, built from the database and configuration; `start`ed by the app, `close`d with it. */
export function buildGrading (deps: GradingDeps & { progressLoader: Pick<ProgressLoader, 'input'> }) {
  const { ags, outbox, lanes, worker } = buildGradeSending(deps)
  const syncs = createGradeSyncRepository(deps.models)
  const learners = createLearnerRepository(deps.models)
  const tenancy = createTenancyRepository(deps.models)
  const progress = activitiesProgressSource(deps.progressLoader, async (courseId) => (await learners.active(new Types.ObjectId(courseId))).map((l) => String(l.userId)))
  const completion = createCompletionService({ rules: createCompletionRulesRepository(deps.models), learners, progress })
  const publisher = createGradePublisher({
    completion,
    findCourse: tenancy.findCourse,
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
