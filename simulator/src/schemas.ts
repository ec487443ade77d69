import { z } from 'zod'

/** zod schemas for the objects tests and seed files hand to the simulator. */

export const simRoleSchema = z.enum(['Instructor', 'Learner', 'Mentor', 'Observer', 'TeachingAssistant', 'Administrator', 'TestStudent'])

export const simUserSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  email: z.string(),
  timeZone: z.string().optional()
})

export const simMemberSchema = z.object({
  userId: z.string().min(1),
  roles: z.array(simRoleSchema),
  status: z.enum(['Active', 'Inactive']),
  observes: z.array(z.string().min(1)).optional()
})

export const simCourseSchema = z.object({
  id: z.string().min(1),
  label: z.string(),
  title: z.string(),
  members: z.array(simMemberSchema),
  custom: z.record(z.string(), z.string()).optional()
})

// Only http(s): these URLs end up as form actions in the pages the simulator renders.
const httpUrl = z.url({ protocol: /^https?$/ })

export const toolRegistrationSchema = z.object({
  clientId: z.string().min(1),
  deploymentIds: z.array(z.string().min(1)).min(1),
  loginUrl: httpUrl,
  redirectUris: z.array(httpUrl).min(1),
  targetLinkUri: httpUrl,
  jwksUrl: httpUrl,
  platformStorage: z.boolean().optional(),
  scopes: z.array(z.string().min(1)).optional()
})

export const lineItemInputSchema = z.object({
  label: z.string().trim().min(1),
  scoreMaximum: z.number().positive(),
  resourceId: z.string().optional(),
  resourceLinkId: z.string().optional(),
  tag: z.string().optional(),
  startDateTime: z.iso.datetime({ offset: true }).optional(),
  endDateTime: z.iso.datetime({ offset: true }).optional(),
  gradesReleased: z.boolean().optional()
})

export type LineItemInput = z.infer<typeof lineItemInputSchema>

/** Reports the first issue as `field: message`, naming the field that failed. */
export function describeIssue (error: z.ZodError): { field: string, message: string } {
  const issue = error.issues[0]
  const field = issue === undefined || issue.path.length === 0 ? '(root)' : issue.path.join('.')
  return { field, message: issue?.message ?? 'invalid' }
}

export function parseOrThrow<T> (schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const { field, message } = describeIssue(result.error)
  throw new Error(`invalid ${what}: ${field}: ${message}`)
}
