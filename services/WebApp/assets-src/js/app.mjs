// Progressive enhancement only: every task works without JavaScript.
import { initAll } from './nhsuk-frontend.min.js';
import { watchTeamAlerts } from './team-alerts.mjs';

initAll();
document.querySelectorAll('[data-module="app-team-alerts"]').forEach(watchTeamAlerts);
