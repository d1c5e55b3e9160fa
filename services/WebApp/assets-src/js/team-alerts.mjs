// The team lead's landing page (/team) tells them of an overdue lone-working check-out or an escalation that arrives while it
// stays open (HAZ-008, HAZ-002), and, first and marked urgent, of an escalation that has come to have nobody to ask or to be in
// a repeat round, without reloading it (WCAG 2.2.1): every 30 s it asks /team/alerts how many are not among those the page
// shows (so, in those states), and puts the answer in its alert region, which screen readers announce. Only a change is
// written, so nothing is announced twice. Without this script the page says to reload it.
const every = 30_000;

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** What to say for an answer of /team/alerts (null: no answer); empty when nothing is new and every check was made. */
function describe(alerts, visitsUnknown, escalationsUnknown) {
  if (!alerts) {
    return { urgent: '', news: '', problems: ['Could not check for new overdue check-outs or escalations. Reload this page.'] };
  }

  // As for visits: a programme the page could not read at load may have had these waiting since before, so not called new.
  const notChecked = escalationsUnknown ? ' (this page could not check when it loaded)' : '';
  const worst = [];
  if (alerts.newNobodyToAsk > 0) {
    worst.push(`${plural(alerts.newNobodyToAsk, 'escalation has', 'escalations have')} nobody to ask${notChecked}: no duty worker, practice or referrer could be reached.`);
  }
  if (alerts.newRepeatRounds > 0) {
    worst.push(`${plural(alerts.newRepeatRounds, 'escalation is', 'escalations are')} in a repeat round${notChecked}: nobody acknowledged the whole chain.`);
  }
  const worstCount = alerts.newNobodyToAsk + alerts.newRepeatRounds;
  const urgent = worst.length ? `Urgent, since this page loaded: ${worst.join(' ')} Act on ${worstCount === 1 ? 'it' : 'them'} now.` : '';

  const parts = [];
  if (alerts.newOverdueCheckOuts > 0) {
    parts.push(plural(alerts.newOverdueCheckOuts, 'overdue check-out', 'overdue check-outs')
      + (visitsUnknown ? ' (this page could not check when it loaded)' : ''));
  }
  if (alerts.newEscalations > 0) {
    parts.push(plural(alerts.newEscalations, 'escalation awaiting acknowledgement', 'escalations awaiting acknowledgement') + notChecked);
  }
  const problems = [];
  if (alerts.newOverdueCheckOuts === null) {
    problems.push('Could not check for new overdue check-outs: support-plan did not answer.');
  }
  if (alerts.programmesNotChecked > 0) {
    problems.push(`Could not check ${alerts.programmesNotChecked} of your programmes for new escalations: triage did not answer.`);
  }
  const count = (alerts.newOverdueCheckOuts ?? 0) + alerts.newEscalations + worstCount;
  return { urgent, news: parts.length ? `New since this page loaded: ${parts.join(' and ')}.` : '', count, problems };
}

function render(region, said) {
  const box = document.createElement('div');
  box.className = 'app-new-alerts__message';
  const told = [];
  if (said.urgent) {
    // Red and first (HAZ-002): the worst of an unacknowledged escalation.
    box.classList.add('app-new-alerts__message--urgent');
    const strong = document.createElement('strong');
    strong.textContent = said.urgent;
    told.push(strong);
  }
  if (said.news) {
    told.push(said.news);
  }
  told.forEach((text, i) => {
    const p = document.createElement('p');
    p.append(text);
    if (i === told.length - 1) {
      const reload = document.createElement('a');
      // Without the fragment: a link that differs from the page's address only by one (after the skip link, /team#maincontent)
      // scrolls instead of reloading, and the new alert would never be shown.
      const page = new URL(window.location.href);
      page.hash = '';
      reload.href = page.href;
      reload.textContent = `Reload this page to see ${said.count === 1 ? 'it' : 'them'}.`;
      p.append(' ', reload);
    }
    box.append(p);
  });
  for (const problem of said.problems) {
    const p = document.createElement('p');
    p.textContent = problem;
    box.append(p);
  }
  region.replaceChildren(...(told.length || said.problems.length ? [box] : []));
}

export function watchTeamAlerts(region) {
  const url = new URL(region.dataset.alertsUrl, window.location.href);
  url.searchParams.set('visits', region.dataset.shownVisits ?? '');
  url.searchParams.set('escalations', region.dataset.shownEscalations ?? '');
  url.searchParams.set('nobodyToAsk', region.dataset.shownNobodyToAsk ?? '');
  url.searchParams.set('repeatRound', region.dataset.shownRepeatRound ?? '');
  const visitsUnknown = region.dataset.visitsUnknown === 'true';
  const escalationsUnknown = region.dataset.escalationsUnknown === 'true';
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

    const said = describe(alerts, visitsUnknown, escalationsUnknown);
    const key = JSON.stringify(said);
    if (key !== last) {
      last = key;
      render(region, said);
      document.title = said.urgent ? `Urgent alerts: ${title}` : said.news ? `New alerts: ${title}` : title;
    }
    window.setTimeout(check, every);
  }

  window.setTimeout(check, every);
}
