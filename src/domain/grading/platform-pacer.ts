import { setTimeout as sleep } from 'node:timers/promises'
import type { RateBudget, SharedPace } from './ports'

/** What other workers sending to the same platforms learned (grading/shared-pacing.ts); all synchronous. */
export interface PaceSharing {
  view: (platform: string) => SharedPace | null
  publish: (platform: string, pace: SharedPace) => void
  workers: () => number
}

export interface PacerOptions {
  /** Share of the observed allowance to use once throttled, so the pace stays just under the platform's limit. */
  headroom?: number
  /** Pause used when a throttled answer gives no Retry-After. */
  fallbackPauseMs?: number
  /** Pacing is dropped after this long without throttling, to find out whether the limit was raised. */
  relaxAfterMs?: number
  /** Share of the largest budget a platform reported below which sends are paced before any is refused. */
  lowBudget?: number
  /** Shares pauses and pace with the other workers; without it, this worker paces alone. */
  shared?: PaceSharing
  now?: () => number
}

interface PlatformState {
  pausedUntil: number
  /** 0 while unpaced. */
  intervalMs: number
  /** What set the pace: a refusal (kept until relaxed) or a low reported budget (dropped once it recovers). */
  pacedBy?: 'refusal' | 'budget'
  /** The interval the platform's last refusal taught (from what it had accepted): accepted sends bring the pace back to it. */
  learnedMs: number
  nextSlot: number
  lastThrottleAt: number
  /** Times of the successful requests of the last second. */
  recent: number[]
  /** Rate budgets reported in the last second (Canvas), and the largest ever reported. */
  budgets: Array<RateBudget & { at: number }>
  fullest: number
  /** What this worker last shared: a pace is shared again only when it changed noticeably. */
  shared?: SharedPace
}

const WINDOW_MS = 1000
/** Slowest pace a refusal sets on its own: slower than that, Retry-After pauses do the pacing. */
const SLOWEST_MS = WINDOW_MS
/** A refusal while paced at what the platform allowed slows the pace by this factor. */
const SLOWER = 1.1
/** Requests per second one accepted send adds back to a pace that refusals slowed below what the platform had allowed. */
const RECOVERY_PER_SEND = 1
/** Least span of budget reports to estimate how fast the platform's bucket drains. */
const MIN_BUDGET_SPAN_MS = 200

/**
 * Per-platform request pacing, learned from throttling. Sends go unpaced until a platform answers 429 (or Canvas's
 * 403): then every send to it waits out Retry-After, and afterwards goes at the rate the platform had allowed in the
 * last second (times headroom), evenly spaced. A refusal when at most one send got through in the last second
 * teaches no rate, only the pause: it halves the pace if there is one (multiplicative decrease), and each accepted
 * send then adds a request per second back (additive increase) until the pace the platform had allowed is reached
 * again, so a short burst of refusals costs seconds, not the minutes until the pace is relaxed. Canvas buckets LTI
 * calls per developer key, so the key is the platform's issuer and client id. Canvas also reports what is left in
 * the bucket on every answer: once that runs low, sends are paced at the rate the bucket drains, before any is
 * refused.
 *
 * Several workers spend one developer key's budget together. With `shared`, a pause one of them meets holds for
 * all, and the pace one learned is taken as the whole fleet's: each worker then sends at that interval times the
 * number of workers. A worker sees only its own sends, so the pace it learns is a lower bound of what the platform
 * allows the fleet: together they stay within the budget, and relaxing later finds out whether more is allowed.
 */
export function createPlatformPacer (options: PacerOptions = {}) {
  const headroom = options.headroom ?? 0.97
  const fallbackPauseMs = options.fallbackPauseMs ?? 1000
  const relaxAfterMs = options.relaxAfterMs ?? 300_000
  const lowBudget = options.lowBudget ?? 0.5
  const now = options.now ?? Date.now
  const shared = options.shared
  const platforms = new Map<string, PlatformState>()
  const workers = (): number => shared?.workers() ?? 1

  const stateOf = (key: string): PlatformState => {
    let state = platforms.get(key)
    if (!state) platforms.set(key, state = { pausedUntil: 0, intervalMs: 0, learnedMs: 0, nextSlot: 0, lastThrottleAt: 0, recent: [], budgets: [], fullest: 0 })
    return state
  }
  /** This worker's interval: its own, or its share of the fleet's if that is longer. */
  const intervalOf = (key: string, state: PlatformState): number => Math.max(state.intervalMs, (shared?.view(key)?.intervalMs ?? 0) * workers())
  const pausedUntilOf = (key: string, state: PlatformState): number => Math.max(state.pausedUntil, shared?.view(key)?.pausedUntil ?? 0)
  /** Tells the other workers a new pause, or a pace that moved by more than a tenth. */
  const share = (key: string, state: PlatformState): void => {
    if (!shared) return
    const pace = { pausedUntil: state.pausedUntil, intervalMs: state.intervalMs }
    const last = state.shared
    const moved = !last || pace.pausedUntil > last.pausedUntil || Math.abs(pace.intervalMs - last.intervalMs) > 0.1 * Math.max(pace.intervalMs, last.intervalMs)
    if (!moved) return
    state.shared = pace
    shared.publish(key, pace)
  }
  const trim = (state: PlatformState, at: number): void => {
    while (state.recent.length > 0 && (state.recent[0] as number) <= at - WINDOW_MS) state.recent.shift()
  }
  /** Drain rate = (budget regained + costs spent) / time, over the last second's reports; interval = mean cost / rate. */
  const watchBudget = (key: string, state: PlatformState, at: number, budget: RateBudget): void => {
    state.fullest = Math.max(state.fullest, budget.remaining)
    state.budgets.push({ ...budget, at })
    while ((state.budgets[0]?.at ?? at) <= at - WINDOW_MS) state.budgets.shift()
    if (budget.remaining >= state.fullest * lowBudget) {
      if (state.pacedBy === 'budget') {
        Object.assign(state, { intervalMs: 0, pacedBy: undefined })
        share(key, state)
      }
      return
    }
    const first = state.budgets[0]
    if (first === undefined || at - first.at < MIN_BUDGET_SPAN_MS) return
    const later = state.budgets.slice(1)
    const spent = later.reduce((sum, b) => sum + b.cost, 0)
    const drainPerMs = (budget.remaining - first.remaining + spent) / (at - first.at)
    // Other workers' sends drain the bucket too: if it sinks faster than this worker alone spends, slow down.
    if (drainPerMs <= 0 && workers() === 1) return
    const interval = drainPerMs <= 0
      ? Math.max(state.intervalMs * 2, WINDOW_MS / later.length)
      : spent / later.length / drainPerMs / headroom
    if (state.pacedBy === 'refusal') {
      state.intervalMs = Math.max(state.intervalMs, interval)
      state.learnedMs = Math.max(state.learnedMs, interval)
    } else {
      Object.assign(state, { intervalMs: interval, pacedBy: 'budget', lastThrottleAt: at })
    }
    share(key, state)
  }

  return {
    /** How long a send to the platform would wait now. */
    delayFor: (key: string): number => {
      const state = stateOf(key)
      return Math.max(0, pausedUntilOf(key, state) - now(), state.nextSlot - now())
    },

    /** Waits for the platform's next free slot and takes it. */
    acquire: async (key: string): Promise<void> => {
      const state = stateOf(key)
      const at = now()
      const slot = Math.max(at, pausedUntilOf(key, state), state.nextSlot)
      state.nextSlot = slot + intervalOf(key, state)
      if (slot > at) await sleep(slot - at)
    },

    succeeded: (key: string, budget?: RateBudget): void => {
      const state = stateOf(key)
      const at = now()
      state.recent.push(at)
      trim(state, at)
      if (state.intervalMs > 0 && at - state.lastThrottleAt > relaxAfterMs) {
        Object.assign(state, { intervalMs: 0, learnedMs: 0, pacedBy: undefined })
        share(key, state)
      } else if (state.pacedBy === 'refusal' && state.intervalMs > state.learnedMs) {
        state.intervalMs = Math.max(state.learnedMs, WINDOW_MS / (WINDOW_MS / state.intervalMs + RECOVERY_PER_SEND))
        share(key, state)
      }
      if (budget !== undefined) watchBudget(key, state, at, budget)
    },

    throttled: (key: string, retryAfterMs?: number): void => {
      const state = stateOf(key)
      const at = now()
      const pausedAlready = at < state.pausedUntil
      state.pausedUntil = Math.max(state.pausedUntil, at + (retryAfterMs ?? fallbackPauseMs))
      state.nextSlot = Math.max(state.nextSlot, state.pausedUntil)
      // Requests already in flight when the first 429 came back are throttled too; they teach nothing new.
      if (pausedAlready) return
      trim(state, at)
      const allowed = state.recent.length * headroom
      state.recent = []
      if (allowed >= 1) {
        // What the platform accepted in the last second: go at that, or a little slower if that is no slower than now.
        const interval = WINDOW_MS / allowed
        state.intervalMs = state.intervalMs > 0 && interval <= state.intervalMs ? Math.min(SLOWEST_MS, state.intervalMs * SLOWER) : interval
        state.learnedMs = state.intervalMs
      } else if (state.intervalMs > 0) {
        if (state.learnedMs === 0) state.learnedMs = state.intervalMs
        state.intervalMs = Math.min(SLOWEST_MS, state.intervalMs * 2)
      } else {
        // Unpaced and nothing accepted lately: the pause is all this refusal teaches.
        share(key, state)
        return
      }
      state.pacedBy = 'refusal'
      state.lastThrottleAt = at
      share(key, state)
    }
  }
}

export type PlatformPacer = ReturnType<typeof createPlatformPacer>
