import { z } from 'zod'
import type { Framework } from '../../domain/competencies/framework-service'
import type { PointView, SideView, FollowUp } from '../../domain/competencies/assessment-service'
import type { Assessment } from '../../domain/competencies/ports'
import type { CompetencyGrowth } from '../../domain/competencies/growth-statistics'
import { POINT_KEYS, SIDES } from '../../domain/competencies/vocabulary'
import { objectIdString } from '../../http/schemas'

export const CompetencyJson = z.object({ key: z.string(), name: z.string(), description: z.string(), levels: z.array(z.string()).describe('What levels 1 to 5 mean') })

export const FrameworkJson = z.object({
  revision: z.number().int().describe('0 while the course uses the defaults; send it back with a change'),
  locked: z.boolean().describe('True from the first submitted assessment on: the competencies cannot change any more'),
  lockedAt: z.string().nullable(),
  copiedFrom: z.string().nullable(),
  competencies: z.array(CompetencyJson)
})

export const toFrameworkJson = (f: Framework): z.infer<typeof FrameworkJson> => ({
  revision: f.revision, locked: f.locked, lockedAt: f.lockedAt?.toISOString() ?? null, copiedFrom: f.copiedFrom, competencies: f.competencies
})

export const CopyBody = z.strictObject({
  revision: z.number({ error: 'is required: the revision you are replacing (from GET)' }).int().min(0),
  sourceCourseId: objectIdString
})

export const CourseChoiceJson = z.object({ courseId: z.string(), title: z.string() })

export const PointJson = z.object({ key: z.enum(POINT_KEYS), label: z.string(), opens: z.string(), due: z.string(), milestone: z.string().nullable() })

export const AssessmentJson = z.object({
  studentUserId: z.string(),
  point: z.enum(POINT_KEYS),
  side: z.enum(SIDES),
  byUserId: z.string(),
  ratings: z.array(z.object({ competency: z.string(), level: z.number().int(), comment: z.string() })),
  frameworkRevision: z.number().int(),
  submittedAt: z.string(),
  late: z.boolean()
})
export const toAssessmentJson = (a: Assessment): z.infer<typeof AssessmentJson> => ({ ...a, submittedAt: a.submittedAt.toISOString() })

const SideJson = z.object({
  submitted: z.boolean(),
  sealed: z.boolean().describe('Submitted, but shown only once your own is in'),
  assessment: AssessmentJson.nullable()
})
const toSideJson = (s: SideView): z.infer<typeof SideJson> => ({ ...s, assessment: s.assessment === null ? null : toAssessmentJson(s.assessment) })

export const PointViewJson = z.object({ point: PointJson, state: z.enum(['upcoming', 'open', 'overdue']), self: SideJson, mentor: SideJson })
export const toPointViewJson = (v: PointView): z.infer<typeof PointViewJson> => ({ point: v.point, state: v.state, self: toSideJson(v.self), mentor: toSideJson(v.mentor) })

export const AssessmentsQuery = z.object({ studentUserId: objectIdString.optional() })
export const GrowthQuery = z.object({ side: z.enum(SIDES, { error: 'must be self or mentor' }).default('mentor') })

const withheld = <T extends z.ZodRawShape>(shape: T) => z.union([
  z.object({ hidden: z.literal(false), ...shape }),
  z.object({ hidden: z.literal(true), students: z.number().int().describe('Fewer than 5: the figures are withheld') })
])

export const CompetencyGrowthJson = z.object({
  competency: CompetencyJson,
  change: withheld({
    students: z.number().int(), meanChange: z.number(), standardDeviation: z.number(),
    ci: z.object({ low: z.number(), high: z.number() }).nullable().describe('95% confidence interval of the mean change (t distribution)'),
    shareImproved: z.number(),
    distribution: z.array(z.object({ change: z.number().int(), students: z.number().int() }))
  }),
  agreement: withheld({ students: z.number().int(), pairs: z.number().int(), meanAbsoluteDifference: z.number(), shareExact: z.number(), shareWithinOne: z.number() }),
  means: z.array(z.object({ point: z.enum(POINT_KEYS), side: z.enum(SIDES), value: withheld({ mean: z.number(), students: z.number().int() }) }))
})
export const GrowthJson = z.object({
  side: z.enum(SIDES).describe('Whose ratings the change is measured by'),
  minimumStudents: z.number().int(),
  competencies: z.array(CompetencyGrowthJson)
})
export const toCompetencyGrowthJson = (g: CompetencyGrowth): z.infer<typeof CompetencyGrowthJson> => g as z.infer<typeof CompetencyGrowthJson>

export const FollowUpJson = z.object({
  studentUserId: z.string(), name: z.string(), point: z.enum(POINT_KEYS), side: z.enum(SIDES), state: z.enum(['missing', 'late']), due: z.string(), submittedAt: z.string().nullable()
})
export const toFollowUpJson = (f: FollowUp, name: string): z.infer<typeof FollowUpJson> => ({ ...f, name, submittedAt: f.submittedAt?.toISOString() ?? null })
