/**
 * The platform side of LTI Platform Storage (lti-pm-s 0.1) as a browser script for the simulator's course page:
 * answers lti.capabilities, lti.put_data and lti.get_data from the tool frame, keeping values per tool origin in
 * this page's memory. Answers go back to the sender's origin only. The old `org.imsglobal.` prefix is tolerated.
 */
export const PLATFORM_STORAGE_SCRIPT = `(function () {
  'use strict'
  var SUPPORTED = ['lti.capabilities', 'lti.put_data', 'lti.get_data']
  var stores = Object.create(null)
  window.addEventListener('message', function (event) {
    var data = event.data
    if (!data || typeof data.subject !== 'string' || !event.source) return
    var subject = data.subject.replace(/^org\\.imsglobal\\./, '')
    if (SUPPORTED.indexOf(subject) < 0) return
    var answer = { subject: data.subject + '.response', message_id: data.message_id }
    if (subject === 'lti.capabilities') {
      answer.supported_messages = SUPPORTED.map(function (s) { return { subject: s } })
    } else if (typeof data.key !== 'string' || data.key === '') {
      answer.error = { code: 'bad_request', message: 'key is required' }
    } else {
      var store = stores[event.origin] || (stores[event.origin] = Object.create(null))
      if (subject === 'lti.put_data') store[data.key] = data.value
      answer.key = data.key
      answer.value = data.key in store ? store[data.key] : null
    }
    event.source.postMessage(answer, event.origin)
  })
})()`
