// The Print button of a record page, and the audit of printing (audit/printing.py): just
// before the browser prints, by this button or by its own Print command, the page's token
// is sent back so that the print is recorded. Without JavaScript the button stays hidden
// (the browser's Print command still works, unrecorded: the view of the page was).
(function () {
  'use strict'
  var button = document.querySelector('[data-print-token]')
  if (!button) return
  button.hidden = false
  button.addEventListener('click', function () { window.print() })

  function record () {
    var data = new FormData()
    data.append('token', button.getAttribute('data-print-token'))
    data.append('csrfmiddlewaretoken', button.getAttribute('data-csrf-token'))
    var url = button.getAttribute('data-print-url')
    if (navigator.sendBeacon) {
      navigator.sendBeacon(url, data)
    } else {
      window.fetch(url, { method: 'POST', body: data, credentials: 'same-origin' })
    }
  }
  window.addEventListener('beforeprint', record)
})()
