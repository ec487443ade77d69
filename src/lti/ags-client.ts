import { z } from 'zod'
import { AGS_SCOPE, AgsRequestError, type AgsAnswer, type AgsPlatform, type AgsPort, type LineItem, type RateBudget } from '../domain/grading/ports'
import { parseLinkHeader } from './nrps-client'
import type { ServiceTokenCache } from './service-token-cache'
import { USER_AGENT } from './user-agent'

const MEDIA = {
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  lineItemContainer: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
  score: 'application/vnd.ims.lis.v1.score+json'
} as const

const LineItemJson = z.object({ id: z.string().url(), label: z.string().optional(), tag: z.string().optional(), resourceLinkId: z.string().optional() })

/** An HTTP answer the line items service should not give. */
export class AgsHttpError extends Error {
  constructor (message: string, readonly status: number) {
    super(message)
    this.name = 'AgsHttpError'
  }
}

const parseJson = (text: string): unknown => { try { return JSON.parse(text) } catch { return undefined } }

/** Reads Canvas's rate-limit headers; undefined when the platform sends none (or nonsense). */
export function rateBudgetOf (headers: Headers): RateBudget | undefined {
  const remaining = Number(headers.get('x-rate-limit-remaining') ?? NaN)
  const cost = Number(headers.get('x-request-cost') ?? NaN)
  return Number.isFinite(remaining) && Number.isFinite(cost) && cost > 0 ? { remaining, cost } : undefined
}

/** `{line item path}/scores`, keeping the line item's query string (Moodle's `?type_id=`). */
export function scoresUrlOf (lineItemUrl: string): string {
  const url = new URL(lineItemUrl)
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/scores`
  return url.toString()
}

export interface AgsClientOptions { tokens: ServiceTokenCache, timeoutMs?: number, maxPages?: number }

/**
 * LTI Assignment and Grade Services 2.0: line items and score publishing, each call with a cached token, retried
 * once on 401 with a fresh one; a token refused twice is forgotten too.
 */
export function createAgsClient ({ tokens, timeoutMs = 15_000, maxPages = 50 }: AgsClientOptions): AgsPort {
  const call = async (platform: AgsPlatform, scopes: string[], url: string, init: { method: string, headers: Record<string, string>, body?: string }, signal?: AbortSignal): Promise<AgsAnswer> => {
    const once = async (token: string): Promise<AgsAnswer> => {
      const timeout = AbortSignal.timeout(timeoutMs)
      try {
        const res = await fetch(url, {
          ...init,
          headers: { ...init.headers, authorization: `Bearer ${token}`, 'user-agent': USER_AGENT },
          signal: signal ? AbortSignal.any([timeout, signal]) : timeout
        })
        return { status: res.status, body: await res.text(), retryAfter: res.headers.get('retry-after'), link: res.headers.get('link'), budget: rateBudgetOf(res.headers) }
      } catch (err) {
        const reason = timeout.aborted ? `no answer within ${timeoutMs} ms` : signal?.aborted === true ? 'cancelled' : (err as Error).message
        throw new AgsRequestError(`${init.method} ${new URL(url).pathname} failed: ${reason}`)
      }
    }
    const tokenFor = async (): Promise<string> => {
      try {
        return await tokens.get(platform.issuer, platform.clientId, scopes)
      } catch (err) {
        throw new AgsRequestError(`could not obtain an access token from the platform: ${(err as Error).message}`)
      }
    }
    const token = await tokenFor()
    const answer = await once(token)
    if (answer.status !== 401) return answer
    await tokens.forget(platform.issuer, platform.clientId, scopes, token)
    const fresh = await tokenFor()
    const again = await once(fresh)
    // Refused twice: the caller retries later, and then with yet another token.
    if (again.status === 401) await tokens.forget(platform.issuer, platform.clientId, scopes, fresh)
    return again
  }

  return {
    postScore: async (platform: AgsPlatform, lineItemUrl: string, score: Record<string, unknown>, signal?: AbortSignal): Promise<AgsAnswer> =>
      await call(platform, [AGS_SCOPE.score], scoresUrlOf(lineItemUrl), {
        method: 'POST', headers: { 'content-type': MEDIA.score, accept: 'application/json' }, body: JSON.stringify(score)
      }, signal),

    /** Every line item of the container matching the filters, following `rel="next"` on the same host. */
    findLineItems: async (platform: AgsPlatform, scopes: string[], lineItemsUrl: string, filters: Record<string, string | undefined>): Promise<LineItem[]> => {
      const first = new URL(lineItemsUrl)
      for (const [name, value] of Object.entries(filters)) if (value !== undefined) first.searchParams.set(name, value)
      const found: LineItem[] = []
      let url: string | undefined = first.toString()
      for (let page = 1; url !== undefined; page++) {
        if (page > maxPages) throw new AgsRequestError(`line items paging did not end after ${maxPages} pages`)
        const answer = await call(platform, scopes, url, { method: 'GET', headers: { accept: MEDIA.lineItemContainer } })
        if (answer.status !== 200) throw new AgsHttpError(`listing line items answered HTTP ${answer.status}: ${answer.body.slice(0, 300)}`, answer.status)
        const items = z.array(z.unknown()).safeParse(parseJson(answer.body))
        if (items.success) for (const item of items.data) { const parsed = LineItemJson.safeParse(item); if (parsed.success) found.push(parsed.data) }
        url = parseLinkHeader(answer.link, url).get('next')
        // The bearer token must never be sent to a host other than the platform's.
        if (url !== undefined && new URL(url).origin !== first.origin) throw new AgsRequestError(`line items next page is on another host (${new URL(url).host})`)
      }
      return found
    },

    createLineItem: async (platform: AgsPlatform, lineItemsUrl: string, item: Record<string, unknown>): Promise<LineItem> => {
      const answer = await call(platform, [AGS_SCOPE.lineItem], lineItemsUrl, {
        method: 'POST', headers: { 'content-type': MEDIA.lineItem, accept: MEDIA.lineItem }, body: JSON.stringify(item)
      })
      if (answer.status !== 200 && answer.status !== 201) throw new AgsHttpError(`creating the line item answered HTTP ${answer.status}: ${answer.body.slice(0, 300)}`, answer.status)
      const parsed = LineItemJson.safeParse(parseJson(answer.body))
      if (!parsed.success) throw new AgsHttpError('the created line item has no id', answer.status)
      return parsed.data
    }
  }
}
