import { z } from 'zod'

/** `limit` and `page` query parameters shared by every paged container. */
export const pagingQuery = {
  limit: z.coerce.number().int().positive().optional(),
  page: z.coerce.number().int().positive().optional()
}

export interface Page<T> { items: T[], link: string }

/**
 * Slices one page; the Link header carries rel="next" until the last page, plus first/last as Canvas does.
 * `limit` is clamped to the page size (Canvas caps it at 50). A query already in `baseUrl` is kept.
 */
export function paginate<T> (
  all: T[], paging: { limit?: number, page?: number }, pageSize: number,
  baseUrl: string, filters: Record<string, string | undefined>
): Page<T> {
  const limit = Math.min(paging.limit ?? pageSize, pageSize)
  const page = paging.page ?? 1
  const lastPage = Math.max(1, Math.ceil(all.length / limit))
  const pageUrl = (n: number): string => {
    const url = new URL(baseUrl)
    for (const [key, value] of Object.entries(filters)) if (value !== undefined) url.searchParams.set(key, value)
    url.searchParams.set('limit', String(limit))
    url.searchParams.set('page', String(n))
    return url.toString()
  }
  const links = [`<${pageUrl(page)}>; rel="current"`]
  if (page < lastPage) links.push(`<${pageUrl(page + 1)}>; rel="next"`)
  if (page > 1) links.push(`<${pageUrl(page - 1)}>; rel="prev"`)
  links.push(`<${pageUrl(1)}>; rel="first"`, `<${pageUrl(lastPage)}>; rel="last"`)
  return { items: all.slice((page - 1) * limit, page * limit), link: links.join(',') }
}
