// Starts the GOV.UK and MOJ Frontend components on the page (no inline scripts: CSP).
// `js-enabled` is the class MOJ Frontend's styles expect once scripts run (the filter
// layout and `moj-js-hidden`, which the filter toggle button uses to hide the filter).
document.body.classList.add('govuk-frontend-supported', 'js-enabled')
window.GOVUKFrontend.initAll()
window.MOJFrontend.initAll()

// MOJ Frontend 11's initAll leaves out the filter toggle button (data-module="moj-filter"):
// below the desktop breakpoint it hides the filter until "Show filter" is pressed.
for (const filter of window.GOVUKFrontend.createAll(window.MOJFrontend.FilterToggleButton)) {
  if (!filter || !filter.$menuButton) continue
  // An error summary's link to a field in the hidden filter shows the filter first, so
  // that the summary (listening on itself, after this) can move to the field.
  document.addEventListener('click', (event) => {
    const link = event.target.closest('.govuk-error-summary a[href^="#"]')
    const field = link && document.getElementById(link.hash.slice(1))
    if (field && filter.$root.contains(field) && filter.$root.classList.contains('moj-js-hidden')) {
      filter.showMenu()
    }
  }, true)
}
