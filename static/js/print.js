// The print view of a record (its page with ?print=1, audited as a print by the server,
// audit/printing.py): opens the browser's print window once the page, figures included,
// has loaded. Without JavaScript the page says to use the browser's Print command.
(function () {
  'use strict'
  if (!document.body.classList.contains('app-print-view')) return
  window.addEventListener('load', function () { window.print() })
})()
