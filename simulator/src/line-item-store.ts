import { serviceUrl, type SimulatorContext } from './context'
import { SimulatorError } from './errors'
import type { LineItemInput } from './schemas'
import type { StoredLineItem } from './state'
import type { LineItem } from './types'

/** Short line item key from a key or a full line item URL (`…/lineitems/7`, `…/line_items/7` → `7`). */
export function lineItemKey (idOrUrl: string): string {
  const match = /\/line_?items\/([^/?#]+)/.exec(idOrUrl)
  return match?.[1] ?? idOrUrl
}

export function toPublicLineItem ({ courseId: _c, key: _k, typeId: _t, ...item }: StoredLineItem): LineItem {
  return item
}

/** `typeId`: the deployment creating it (Moodle's tool type, kept in the URL's query). */
export function createLineItem (ctx: SimulatorContext, courseId: string, input: LineItemInput, typeId: string): StoredLineItem {
  const key = String(ctx.state.nextLineItemKey++)
  const id = serviceUrl(ctx, 'lineItem', { courseId, id: key, typeId })
  const item: StoredLineItem = { ...input, id, courseId, key, typeId }
  ctx.state.lineItems.set(key, item)
  return item
}

export function updateLineItem (ctx: SimulatorContext, item: StoredLineItem, input: LineItemInput): StoredLineItem {
  const updated: StoredLineItem = { ...input, id: item.id, courseId: item.courseId, key: item.key, typeId: item.typeId }
  ctx.state.lineItems.set(item.key, updated)
  return updated
}

/** On Moodle a tool sees only the line items of its own tool type; elsewhere every line item of the course. */
export function visibleToType (ctx: SimulatorContext, item: StoredLineItem, typeId: string): boolean {
  return !ctx.profile.typeIdQuery || item.typeId === typeId
}

/** The line item of the course (and, on Moodle, of the request's tool type), or a 404 as Canvas answers for a deleted assignment. */
export function getLineItem (ctx: SimulatorContext, courseId: string, key: string, typeId: string): StoredLineItem {
  const item = ctx.state.lineItems.get(key)
  if (item === undefined || item.courseId !== courseId || !visibleToType(ctx, item, typeId)) throw new SimulatorError(404, 'line item not found', 'lineItemId')
  return item
}

export function deleteLineItem (ctx: SimulatorContext, item: StoredLineItem): void {
  ctx.state.lineItems.delete(item.key)
  for (const [k, score] of ctx.state.latestScores) {
    if (score.lineItemId === item.id) ctx.state.latestScores.delete(k)
  }
}

export function courseLineItems (ctx: SimulatorContext, courseId: string): StoredLineItem[] {
  return [...ctx.state.lineItems.values()].filter(item => item.courseId === courseId)
}
