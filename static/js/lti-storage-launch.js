// Launch step of a Platform Storage launch: read back the state and the nonce stored at login and post them, with
// the id_token, to Mentorlink, which checks them against the login. Values that do not match are not sent, so the
// server refuses the launch as not issued to this browser.
(function () {
  'use strict'
  var form = document.getElementById('lti-storage-launch')
  if (!form) return
  var d = form.dataset
  var state = form.elements.state.value
  var storage = window.MentorlinkPlatformStorage.open({ storageTarget: d.storageTarget, platformOrigin: d.platformOrigin })

  function nonceOf (idToken) {
    try {
      var part = idToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')
      return JSON.parse(window.atob(part + '==='.slice((part.length + 3) % 4))).nonce || ''
    } catch (e) { return '' }
  }

  var nonce = nonceOf(form.elements.id_token.value)
  storage.get(d.keyPrefix + 'state_' + state)
    .then(function (storedState) {
      if (storedState !== state) throw { code: 'mismatch', message: 'the stored state differs' }
      form.elements.stored_state.value = storedState
      return storage.get(d.keyPrefix + 'nonce_' + nonce)
    })
    .then(function (storedNonce) {
      if (storedNonce === nonce) form.elements.stored_nonce.value = storedNonce
    })
    .catch(function () { /* nothing usable was stored: the server refuses with a clear message */ })
    .then(function () { form.submit() })
})()
