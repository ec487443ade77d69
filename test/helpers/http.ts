/** Small HTTP clients for tests: the JSON API with a bearer token, and pages and forms as a browser uses them. */

export interface JsonAnswer<T = any> { status: number, body: T, headers: Headers }

export async function callApi<T = any> (base: string, token: string, method: string, path: string, body?: unknown): Promise<JsonAnswer<T>> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await res.text()
  return { status: res.status, body: text === '' ? null : JSON.parse(text), headers: res.headers }
}

export interface PageAnswer { status: number, html: string, location: string | null }

export async function getPage (base: string, token: string, path: string): Promise<PageAnswer> {
  const url = new URL(`${base}${path}`)
  url.searchParams.set('session', token)
  const res = await fetch(url, { headers: { accept: 'text/html' }, redirect: 'manual' })
  return { status: res.status, html: await res.text(), location: res.headers.get('location') }
}

/** Posts a form the way the pages do: urlencoded, with the session token in the hidden `session` field. */
export async function postForm (base: string, token: string | undefined, path: string, fields: Record<string, string>): Promise<PageAnswer> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams({ ...(token === undefined ? {} : { session: token }), ...fields }).toString()
  })
  return { status: res.status, html: await res.text(), location: res.headers.get('location') }
}

/** Undoes Handlebars' HTML escaping, to compare page text with what was typed. */
export const unescapeHtml = (s: string): string =>
  s.replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x3D;/g, '=').replace(/&#x60;/g, '`').replace(/&amp;/g, '&')
