// The team lead's landing page (/team) tells them of an overdue lone-working check-out or an escalation that arrives while it
// stays open (HAZ-008, HAZ-002), without reloading it (WCAG 2.2.1): every 30 s it asks /team/alerts how many are not among those
// the page shows, and puts the answer in its alert region, which screen readers announce. Only a change is written, so nothing
// is announced twice. Without this script the page says to reload it.
const every = 30_000;

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** What to say for an answer of /team/alerts (null: no answer); empty when nothing is new and every check was made. */
function describe(alerts, visitsUnknown) {
  if (!alerts) {
    return { news: '', problems: ['Could not check for new overdue check-outs or escalations. Reload this page.'] };
  }

  const parts = [];
  if (alerts.newOverdueCheckOuts > 0) {
    parts.push(plural(alerts.newOverdueCheckOuts, 'overdue check-out', 'overdue check-outs')
      + (visitsUnknown ? ' (this page could not check when it loaded)' : ''));
  }
  if (alerts.newEscalations > 0) {
    parts.push(plural(alerts.newEscalations, 'escalation awaiting acknowledgement', 'escalations awaiting acknowledgement'));
  }
  const problems = [];
  if (alerts.newOverdueCheckOuts === null) {
    problems.push('Could not check for new overdue check-outs: support-plan did not answer.');
  }
  if (alerts.programmesNotChecked > 0) {
    problems.push(`Could not check ${alerts.programmesNotChecked} of your programmes for new escalations: triage did not answer.`);
  }
  const count = (alerts.newOverdueCheckOuts ?? 0) + alerts.newEscalations;
  return { news: parts.length ? `New since this page loaded: ${parts.join(' and ')}.` : '', count, problems };
}

function render(region, said) {
  const box = document.createElement('div');
  box.className = 'app-new-alerts__message';
  if (said.news) {
    const p = document.createElement('p');
    p.append(said.news + ' ');
    const reload = document.createElement('a');
    // Without the fragment: a link that differs from the page's address only by one (after the skip link, /team#maincontent)
    // scrolls instead of reloading, and the new alert would never be shown.
    const page = new URL(window.location.href);
    page.hash = '';
    reload.href = page.href;
    reload.textContent = `Reload this page to see ${said.count === 1 ? 'it' : 'them'}.`;
    p.append(reload);
    box.append(p);
  }
  for (const problem of said.problems) {
    const p = document.createElement('p');
    p.textContent = problem;
    box.append(p);
  }
  region.replaceChildren(...(said.news || said.problems.length ? [box] : []));
}

export function watchTeamAlerts(region) {
  const url = new URL(region.dataset.alertsUrl, window.location.href);
  url.searchParams.set('visits', region.dataset.shownVisits ?? '');
  url.searchParams.set('escalations', region.dataset.shownEscalations ?? '');
  const visitsUnknown = region.dataset.visitsUnknown === 'true';
  const title = document.title;
  let last = '';

  async function check() {
    let alerts = null;
    try {
      const response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store', signal: AbortSignal.timeout(20_000) });
      if (response.ok) {
        alerts = await response.json();
      }
    } catch {
      // Network down, signed out, too slow: said below as "could not check".
    }

    const said = describe(alerts, visitsUnknown);
    const key = JSON.stringify(said);
    if (key !== last) {
      last = key;
      render(region, said);
      document.title = said.news ? `New alerts: ${title}` : title;
    }
    window.setTimeout(check, every);
  }

  window.setTimeout(check, every);
}
