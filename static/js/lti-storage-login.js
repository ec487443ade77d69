// Login step of a Platform Storage launch: store the state and the nonce in the platform, then go on to the
// platform's authentication request. If the platform does not answer in time, go on anyway: the state cookie set
// with this page is the fallback. Stored values are not deleted after use: the spec has no delete message.
(function () {
  'use strict'
  var el = document.getElementById('lti-storage-login')
  if (!el) return
  var d = el.dataset
  var storage = window.MentorlinkPlatformStorage.open({ storageTarget: d.storageTarget, platformOrigin: d.platformOrigin })
  function proceed () { window.location.href = d.authUrl }
  storage.put(d.keyPrefix + 'state_' + d.state, d.state)
    .then(function () { return storage.put(d.keyPrefix + 'nonce_' + d.nonce, d.nonce) })
    .then(proceed, proceed)
})()
