// LTI Platform Storage (1EdTech lti-pm-s 0.1): keeps small values in the platform's window through postMessage,
// for launches inside an LMS iframe whose browser blocks third-party cookies.
// Messages go to the frame the platform names (lti_storage_target, or the `frame` of a capability) with
// targetOrigin '*', because Canvas only accepts that; answers count only from the origin of the platform's OIDC
// authorization endpoint, with our message_id and the subject plus '.response'.
(function () {
  'use strict'
  var TIMEOUT_MS = 1000

  function platformWindow () { return window.opener || window.parent }

  function frameNamed (name) {
    var target = platformWindow()
    if (!name || name === '_parent') return target
    try {
      if (target.frames[name]) return target.frames[name]
    } catch (e) { /* a cross-origin frame list may refuse access: use the window itself */ }
    return target
  }

  function randomId () {
    var bytes = new Uint8Array(12)
    window.crypto.getRandomValues(bytes)
    return 'mentorlink-' + Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2) }).join('')
  }

  function send (target, platformOrigin, message) {
    return new Promise(function (resolve, reject) {
      // Opened as a top-level window: there is no platform window to ask.
      if (target === window) return reject({ code: 'no_platform_window', message: 'Not inside a platform window' })
      var id = randomId()
      var timer
      function onMessage (event) {
        var data = event.data
        if (!data || data.message_id !== id || event.origin !== platformOrigin) return
        if (data.subject !== message.subject + '.response') return
        window.removeEventListener('message', onMessage)
        clearTimeout(timer)
        if (data.error) reject(data.error)
        else resolve(data)
      }
      window.addEventListener('message', onMessage)
      timer = setTimeout(function () {
        window.removeEventListener('message', onMessage)
        reject({ code: 'timeout', message: 'No answer from the platform after ' + TIMEOUT_MS + ' ms' })
      }, TIMEOUT_MS)
      target.postMessage(Object.assign({ message_id: id }, message), '*')
    })
  }

  /** A storage bound to one launch: { storageTarget, platformOrigin } from the page's data attributes. */
  function open (settings) {
    var capabilities
    function frameFor (subject) {
      if (!capabilities) {
        capabilities = send(frameNamed(settings.storageTarget), settings.platformOrigin, { subject: 'lti.capabilities' })
      }
      return capabilities.then(function (answer) {
        var supported = (answer.supported_messages || []).filter(function (m) { return m.subject === subject })[0]
        if (!supported) throw { code: 'unsupported', message: subject + ' is not supported by the platform' }
        return frameNamed(supported.frame || settings.storageTarget)
      })
    }
    return {
      put: function (key, value) {
        return frameFor('lti.put_data').then(function (frame) {
          return send(frame, settings.platformOrigin, { subject: 'lti.put_data', key: key, value: value })
        })
      },
      get: function (key) {
        return frameFor('lti.get_data').then(function (frame) {
          return send(frame, settings.platformOrigin, { subject: 'lti.get_data', key: key })
        }).then(function (answer) { return answer.value })
      }
    }
  }

  window.MentorlinkPlatformStorage = { open: open }
})()
