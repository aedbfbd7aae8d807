// Starts the GOV.UK and MOJ Frontend components on the page (no inline scripts: CSP).
document.body.classList.add('govuk-frontend-supported')
window.GOVUKFrontend.initAll()
window.MOJFrontend.initAll()
