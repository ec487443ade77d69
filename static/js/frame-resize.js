// Inside the LMS's frame, tell the LMS how tall the page is, when it loads and whenever that changes, so the LMS can
// size its frame to the page instead of scrolling it in a fixed box. Canvas listens for lti.frameResize; LMSs that
// do not (Moodle) ignore the message. The message says nothing but the height, so any parent may read it.
(function () {
  'use strict'
  if (window.parent === window) return
  var root = document.documentElement
  var sent = 0
  function send () {
    var height = Math.ceil(root.getBoundingClientRect().height)
    if (height === sent) return
    sent = height
    window.parent.postMessage({ subject: 'lti.frameResize', height: height }, '*')
  }
  if (typeof ResizeObserver === 'function') new ResizeObserver(send).observe(root)
  window.addEventListener('load', send)
  send()
})()
