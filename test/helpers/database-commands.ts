import type { FastifyInstance } from 'fastify'

/**
 * Counts the app's database commands (the driver's command monitoring) and sums their time by command and
 * collection, for the lines that say where a page's or a step's database time goes.
 */
export function watchCommands (app: FastifyInstance) {
  let count = 0
  const byKey = new Map<string, { count: number, ms: number }>()
  const keyOf = new Map<number, string>()
  const client = app.db.connection.getClient()
  client.on('commandStarted', (event) => {
    count++
    keyOf.set(event.requestId, `${event.commandName} ${String(event.commandName === 'getMore' ? event.command.collection : event.command[event.commandName])}`)
  })
  client.on('commandSucceeded', (event) => {
    const key = keyOf.get(event.requestId) ?? event.commandName
    keyOf.delete(event.requestId)
    const entry = byKey.get(key) ?? { count: 0, ms: 0 }
    byKey.set(key, { count: entry.count + 1, ms: entry.ms + event.duration })
  })
  return {
    count: (): number => count,
    /** Forgets the time sums (not the count). */
    reset: (): void => { byKey.clear() },
    /** The `top` costliest command kinds since the last reset, each divided by `per`. */
    costliest: (top: number, per = 1): string[] => [...byKey].sort((a, b) => b[1].ms - a[1].ms).slice(0, top)
      .map(([key, t]) => `    ${key}: ${(t.count / per).toFixed(1)} commands, ${(t.ms / per).toFixed(1)} ms`)
  }
}
