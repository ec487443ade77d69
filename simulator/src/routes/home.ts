import type { FastifyPluginAsync } from 'fastify'
import { issuerOf, type SimulatorContext } from '../context'
import { escapeHtml } from '../html-form'

/** A minimal index for demos: per course member, tool and deployment, a launch link and the embedding course page. */
export function homeRoutes (ctx: SimulatorContext): FastifyPluginAsync {
  return async (app) => {
    app.get('/', async (_request, reply) => {
      const { courses, tools, users } = ctx.state
      const sections = [...courses.values()].map(course => {
        const links = course.members.filter(m => m.status === 'Active').flatMap(member =>
          [...tools.values()].flatMap(tool => tool.deploymentIds.map(deploymentId => {
            const query = new URLSearchParams({
              client_id: tool.clientId, deployment_id: deploymentId, course: course.id, user: member.userId
            })
            const who = users.get(member.userId)?.name ?? member.userId
            const embedded = new URLSearchParams({ client_id: tool.clientId, deployment_id: deploymentId, user: member.userId })
            return `<li><a href="/launch?${escapeHtml(query.toString())}">${escapeHtml(who)}</a> ` +
              `(<a href="/course/${encodeURIComponent(course.id)}?${escapeHtml(embedded.toString())}">in the course page</a>) ` +
              `(${escapeHtml(member.roles.join(', '))}) → ${escapeHtml(tool.clientId)} / ${escapeHtml(deploymentId)}</li>`
          })))
        return `<h2>${escapeHtml(course.label)}: ${escapeHtml(course.title)}</h2><ul>${links.join('')}</ul>`
      })
      return await reply.type('text/html; charset=utf-8').send(
        `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>LMS simulator</title></head>` +
        `<body><h1>LMS simulator: ${escapeHtml(ctx.profile.platformName)}</h1><p>Issuer: ${escapeHtml(issuerOf(ctx))}</p>${sections.join('')}</body></html>`)
    })
  }
}
