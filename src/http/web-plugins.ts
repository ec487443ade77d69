import path from 'node:path'
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import helmet from '@fastify/helmet'
import fastifyStatic from '@fastify/static'
import view from '@fastify/view'
import type { FastifyInstance } from 'fastify'
import handlebars from 'handlebars'
import { registerViewHelpers } from './view-helpers'

const ROOT = path.resolve(__dirname, '..', '..')
const ROOT_DIR = ROOT.endsWith(`${path.sep}dist`) ? path.dirname(ROOT) : ROOT
/** The templates of pages and emails. */
export const VIEWS_DIR = path.join(ROOT_DIR, 'views')

/** Body parsing, cookies, security headers fit for an LMS iframe, static files and Handlebars views. */
export async function registerWebPlugins (app: FastifyInstance): Promise<void> {
  await app.register(formbody)
  await app.register(cookie)
  await app.register(helmet, {
    // Mentorlink lives inside LMS iframes: framing is allowed, and session tokens in URLs never leak as Referer.
    frameguard: false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'", 'https:', 'http:'],
        frameAncestors: ['*'],
        upgradeInsecureRequests: null
      }
    }
  })
  await app.register(fastifyStatic, { root: path.join(ROOT_DIR, 'static'), prefix: '/static/', maxAge: '1h' })
  // Browsers ask for /favicon.ico whatever the page links; the icon is an SVG, which they accept from there too.
  app.get('/favicon.ico', { schema: { hide: true } }, (_request, reply) => {
    reply.sendFile('img/icon.svg', { maxAge: '1d' })
  })
  const engine = handlebars.create()
  registerViewHelpers(engine)
  await app.register(view, {
    engine: { handlebars: engine },
    root: VIEWS_DIR,
    layout: 'layouts/main',
    viewExt: 'hbs',
    options: { partials: { nav: 'partials/nav.hbs', 'bar-chart': 'partials/bar-chart.hbs', pager: 'partials/pager.hbs', 'mentor-form': 'partials/mentor-form.hbs', milestones: 'partials/milestones.hbs', 'student-growth': 'partials/student-growth.hbs', 'change-chart': 'partials/change-chart.hbs' } }
  })
}
