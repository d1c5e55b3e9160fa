// Marks the page as scripted before it renders, as the NHS.UK page template does (kept out of the HTML: no inline script).
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '');
