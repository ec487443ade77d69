import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import type { SimulatorContext } from '../context'
import { registrationUrlFor } from '../dynamic-registration'
import { oauthErrorHandler, validate } from '../errors'
import { escapeHtml } from '../html-form'

export const TOOL_REGISTRATION_PAGE = '/admin/tool-registration'

const query = z.object({
  tool_url: z.url({ protocol: /^https?$/ }),
  open: z.enum(['popup', 'iframe']).default('popup')
})

/**
 * An admin's page for LTI Dynamic Registration: a button opens the tool's registration URL (with a new single-use
 * token) in a popup (`window.open`) or in an iframe on the page, and the page closes it when the tool posts
 * `org.imsglobal.lti.close`, from that window only. `#registration-status` says what happened.
 */
export function toolRegistrationPageRoutes (ctx: SimulatorContext): FastifyPluginAsync {
  return async (app) => {
    app.setErrorHandler(oauthErrorHandler)

    app.get(TOOL_REGISTRATION_PAGE, async (request, reply) => {
      const q = validate(query, request.query)
      const url = registrationUrlFor(ctx, q.tool_url)
      return await reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Register a tool</title></head>
<body>
  <h1>Register an LTI Advantage tool</h1>
  <p><button id="register" type="button" data-url="${escapeHtml(url)}" data-open="${q.open}">Register the tool</button></p>
  <p id="registration-status" role="status">Not started</p>
  <div id="registration-frame"></div>
  <script>${REGISTRATION_WINDOW_SCRIPT}</script>
</body>
</html>
`)
    })
  }
}

const REGISTRATION_WINDOW_SCRIPT = `(function () {
  'use strict'
  var button = document.getElementById('register')
  var status = document.getElementById('registration-status')
  var tool = null
  var close = function () {}
  button.addEventListener('click', function () {
    if (button.dataset.open === 'iframe') {
      var frame = document.createElement('iframe')
      frame.id = 'tool-registration'
      frame.title = 'Tool registration'
      frame.src = button.dataset.url
      frame.style.cssText = 'width:100%;height:600px;border:1px solid #999'
      document.getElementById('registration-frame').appendChild(frame)
      tool = frame.contentWindow
      close = function () { frame.remove() }
    } else {
      var popup = window.open(button.dataset.url, 'tool-registration', 'popup,width=900,height=700')
      if (!popup) { status.textContent = 'The browser blocked the popup'; return }
      tool = popup
      close = function () { popup.close() }
    }
    status.textContent = 'Registration open'
  })
  window.addEventListener('message', function (event) {
    var data = event.data
    if (tool === null || event.source !== tool || !data || data.subject !== 'org.imsglobal.lti.close') return
    close()
    tool = null
    status.textContent = 'Registration closed by the tool'
  })
})()`
