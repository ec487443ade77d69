import { startSimulator, type SimMember, type Simulator, type SimulatorOptions } from '@mentorlink/simulator'
import { startFakeTool, type FakeTool } from './fake-tool'

export interface World { sim: Simulator, tool: FakeTool, close(): Promise<void> }

export function person (id: string): { id: string, name: string, givenName: string, familyName: string, email: string } {
  return { id, name: `Given ${id} Family`, givenName: `Given ${id}`, familyName: 'Family', email: `${id}@example.edu` }
}

/**
 * A simulator with one registered fake tool and course `c1`:
 * teacher (Instructor), ta (TeachingAssistant), alice and bob (Learner), olga (Mentor).
 */
export async function startWorld (opts: SimulatorOptions = {}): Promise<World> {
  const sim = await startSimulator(opts)
  const tool = await startFakeTool()
  sim.addTool(tool.registration)
  const members: SimMember[] = [
    { userId: 'teacher', roles: ['Instructor'], status: 'Active' },
    { userId: 'ta', roles: ['TeachingAssistant'], status: 'Active' },
    { userId: 'alice', roles: ['Learner'], status: 'Active' },
    { userId: 'bob', roles: ['Learner'], status: 'Active' },
    { userId: 'olga', roles: ['Mentor'], status: 'Active' }
  ]
  members.forEach(m => { sim.addUser(person(m.userId)) })
  sim.addCourse({ id: 'c1', label: 'MBA-101', title: 'Leadership', members, custom: { cohort: '2025' } })
  return {
    sim,
    tool,
    close: async () => { await Promise.all([sim.close(), tool.close()]) }
  }
}
