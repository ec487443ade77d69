import { courseApiUrl, type SimulatorContext } from './context'
import { SimulatorError } from './errors'
import type { LineItemInput } from './schemas'
import type { StoredLineItem } from './state'
import type { LineItem } from './types'

/** Short line item key from a key or a full line item URL (`…/lineitems/7` → `7`). */
export function lineItemKey (idOrUrl: string): string {
  const match = /\/lineitems\/([^/?#]+)/.exec(idOrUrl)
  return match?.[1] ?? idOrUrl
}

export function toPublicLineItem ({ courseId: _c, key: _k, ...item }: StoredLineItem): LineItem {
  return item
}

export function createLineItem (ctx: SimulatorContext, courseId: string, input: LineItemInput): StoredLineItem {
  const key = String(ctx.state.nextLineItemKey++)
  const item: StoredLineItem = { ...input, id: courseApiUrl(ctx, courseId, `/lineitems/${key}`), courseId, key }
  ctx.state.lineItems.set(key, item)
  return item
}

export function updateLineItem (ctx: SimulatorContext, item: StoredLineItem, input: LineItemInput): StoredLineItem {
  const updated: StoredLineItem = { ...input, id: item.id, courseId: item.courseId, key: item.key }
  ctx.state.lineItems.set(item.key, updated)
  return updated
}

/** The line item of the course, or a 404 as Canvas answers for a deleted assignment. */
export function getLineItem (ctx: SimulatorContext, courseId: string, key: string): StoredLineItem {
  const item = ctx.state.lineItems.get(key)
  if (item === undefined || item.courseId !== courseId) throw new SimulatorError(404, 'line item not found', 'lineItemId')
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
