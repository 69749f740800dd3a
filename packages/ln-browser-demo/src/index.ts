export { buildPage, type PageBundle } from './build-page.js';
export { pageHtml } from './page-html.js';
export { CONFIG_PATH, type DemoConfig } from './config.js';
export { demoRoute, seededPairs, timeRoutes, routePair, routerFor, viewRoute, nodeAlias, formatScid, type RouteView, type HopView, type Pair } from './page/route-summary.js';
