// Progressive enhancement only: every task works without JavaScript.
import { initAll } from './nhsuk-frontend.min.js';

initAll();
