export interface WorkLoopsOptions {
  /** Does one round of work; false when there was none. `stopping` aborts when the loops are told to stop. */
  round: (stopping: AbortSignal) => Promise<boolean>
  /** How soon a loop looks again for work it was not told about... */
  pollMs: number
  /** ...doubling while it finds none, up to this (a kick or found work brings it back to `pollMs`). */
  idlePollMaxMs?: number
  /** Rounds run at once: while one waits on the database, another's work is on the wire. */
  loops: number
  /** A round threw: logged, and the loop carries on. */
  onError: (err: unknown) => void
}

/** Loops that run rounds of work while there is some, and otherwise sleep until kicked, woken or polled. */
export function createWorkLoops ({ round, pollMs, idlePollMaxMs = pollMs, loops, onError }: WorkLoopsOptions) {
  const sleepers = new Set<() => void>()
  let running: Promise<void[]> | undefined
  let stopping = new AbortController()
  let wakeTimer: NodeJS.Timeout | undefined
  let wakeAtMs = Infinity

  const kick = (): void => { for (const wake of [...sleepers]) wake() }
  /** Waits `ms` or until kicked; true when kicked. */
  const idle = async (ms: number): Promise<boolean> => await new Promise<boolean>((resolve) => {
    const done = (kicked: boolean): void => { clearTimeout(timer); sleepers.delete(wake); resolve(kicked) }
    const wake = (): void => { done(true) }
    const timer = setTimeout(() => { done(false) }, ms)
    sleepers.add(wake)
  })
  const loop = async (): Promise<void> => {
    let wait = pollMs
    while (!stopping.signal.aborted) {
      let worked = false
      try {
        worked = await round(stopping.signal)
      } catch (err) {
        onError(err)
      }
      if (worked) wait = pollMs
      else if (!stopping.signal.aborted) wait = await idle(wait) ? pollMs : Math.min(wait * 2, Math.max(pollMs, idlePollMaxMs))
    }
  }

  return {
    /** Look for work now instead of at the next poll. */
    kick,
    /** Look for work at `at` (a retry falls due), unless woken earlier for it already. */
    wakeAt: (at: Date): void => {
      if (at.getTime() >= wakeAtMs) return
      clearTimeout(wakeTimer)
      wakeAtMs = at.getTime()
      wakeTimer = setTimeout(() => { wakeAtMs = Infinity; kick() }, Math.max(0, wakeAtMs - Date.now()) + 5)
    },
    isRunning: (): boolean => running !== undefined,
    start: (): boolean => {
      if (running) return false
      stopping = new AbortController()
      running = Promise.all(Array.from({ length: loops }, loop))
      return true
    },
    /** Aborts the rounds under way and waits for them to end. */
    stop: async (): Promise<boolean> => {
      if (!running) return false
      stopping.abort()
      kick()
      clearTimeout(wakeTimer)
      wakeAtMs = Infinity
      await running
      running = undefined
      return true
    }
  }
}
