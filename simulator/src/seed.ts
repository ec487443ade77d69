import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { lineItemInputSchema, parseOrThrow, simCourseSchema, simUserSchema, toolRegistrationSchema } from './schemas'
import type { Simulator } from './simulator'

const seedSchema = z.object({
  users: z.array(simUserSchema).default([]),
  courses: z.array(simCourseSchema).default([]),
  tools: z.array(toolRegistrationSchema).default([]),
  lineItems: z.array(lineItemInputSchema.extend({ courseId: z.string().min(1) })).default([])
})

export type SimulatorSeed = z.input<typeof seedSchema>

/** Reads and validates a JSON seed file: `{ users, courses, tools, lineItems? }`. */
export async function loadSeed (path: string): Promise<z.output<typeof seedSchema>> {
  return parseOrThrow(seedSchema, JSON.parse(await readFile(path, 'utf8')), `seed file ${path}`)
}

export function applySeed (sim: Simulator, seed: SimulatorSeed): void {
  const { users, courses, tools, lineItems } = parseOrThrow(seedSchema, seed, 'seed')
  users.forEach(u => { sim.addUser(u) })
  courses.forEach(c => { sim.addCourse(c) })
  tools.forEach(t => { sim.addTool(t) })
  lineItems.forEach(({ courseId, ...item }) => { sim.addLineItem(courseId, item) })
}
