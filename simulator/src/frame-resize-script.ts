/**
 * Canvas's side of `lti.frameResize` as a browser script for the simulator's course page: a message from the tool
 * frame (an object, or the same as a JSON string) sets the frame's height in pixels (a number, or a string such as
 * "640px"); Canvas takes at least 1. Messages from other windows are ignored. Canvas-specific: Moodle ignores it.
 */
export const FRAME_RESIZE_SCRIPT = `(function () {
  'use strict'
  var frame = document.getElementById('tool-frame')
  window.addEventListener('message', function (event) {
    if (!frame || event.source !== frame.contentWindow) return
    var data = event.data
    if (typeof data === 'string') { try { data = JSON.parse(data) } catch (e) { return } }
    if (!data || data.subject !== 'lti.frameResize') return
    var height = parseInt(String(data.height), 10)
    if (!(height > 0)) height = 1
    frame.style.height = height + 'px'
  })
})()`
