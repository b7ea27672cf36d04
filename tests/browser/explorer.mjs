// Drives the kg explorer in headless Chromium (Debian's /usr/bin/chromium through
// playwright-core): search a person, see the node, expand a neighbour by double-clicking it,
// click an edge, read its evidence sentence with the article title; saves a screenshot.
// Usage: node explorer.mjs URL QUERY SCREENSHOT.png   (env KG_WEB_DIR: the web/ folder)
import { createRequire } from 'node:module';
import path from 'node:path';

const [url, query, screenshot] = process.argv.slice(2);
const webDir = process.env.KG_WEB_DIR;
const require = createRequire(path.join(webDir, 'package.json'));
const { chromium } = require('playwright-core');

function check(condition, message) {
  if (!condition) throw new Error('check failed: ' + message);
  console.log('ok - ' + message);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--no-first-run'],
});
let failed = false;
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const consoleErrors = [];
// The deliberate syntax error below answers 400, which Chromium logs as a console error.
page.on('console', (msg) => {
  if (msg.type() === 'error' && !/status of 400/.test(msg.text())) consoleErrors.push(msg.text());
});
page.on('pageerror', (error) => consoleErrors.push(String(error)));
try {
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.kgExplorer && window.kgExplorer.cy, null, { timeout: 10000 });
  check(true, 'the page loads and cytoscape starts');
  await page.waitForFunction(() => /entities/.test(document.getElementById('stats').textContent));
  check(true, 'the stats line shows: ' + await page.textContent('#stats'));

  await page.fill('#search', query);
  await page.waitForSelector('#results li[data-id]', { timeout: 10000 });
  const first = await page.textContent('#results li[data-id]');
  check(first.toLowerCase().includes(query.toLowerCase()), `search "${query}" lists "${first}"`);
  const entityId = await page.getAttribute('#results li[data-id]', 'data-id');
  await page.click('#results li[data-id]');

  await page.waitForFunction((id) => {
    const cy = window.kgExplorer.cy;
    return cy.getElementById('n' + id).nonempty() && cy.nodes().length > 1;
  }, entityId, { timeout: 10000 });
  const before = await page.evaluate(() => window.kgExplorer.cy.nodes().length);
  check(before > 1, `the entity's node and ${before - 1} neighbours are drawn`);
  await page.waitForFunction(() => document.querySelector('#details .name'));
  check((await page.textContent('#details .name')).length > 0, 'the side panel shows the entity');

  // Double-click a neighbour to expand it.
  const neighbour = await page.evaluate((id) => {
    const cy = window.kgExplorer.cy;
    const node = cy.nodes().filter((n) => n.id() !== 'n' + id)[0];
    const box = cy.container().getBoundingClientRect();
    const p = node.renderedPosition();
    return { id: node.id(), name: node.data('name'), x: box.left + p.x, y: box.top + p.y };
  }, entityId);
  await page.mouse.dblclick(neighbour.x, neighbour.y);
  await page.waitForFunction((nid) => window.kgExplorer.cy.getElementById(nid).data('expanded'),
                             neighbour.id, { timeout: 10000 });
  const after = await page.evaluate(() => window.kgExplorer.cy.nodes().length);
  check(after >= before, `double-clicking "${neighbour.name}" expands it (${before} -> ${after} nodes)`);

  // Click edges until one shows its evidence.
  const edges = await page.evaluate(() => {
    const cy = window.kgExplorer.cy;
    const box = cy.container().getBoundingClientRect();
    return cy.edges().map((e) => {
      const p = e.renderedMidpoint();
      return { id: e.id(), type: e.data('type'), x: box.left + p.x, y: box.top + p.y };
    });
  });
  let shown = null;
  for (const edge of edges.slice(0, 15)) {
    await page.mouse.click(edge.x, edge.y);
    try {
      await page.waitForSelector('#evidence .item .sentence', { timeout: 1500 });
      shown = edge;
      break;
    } catch (e) { /* the click hit something else: try the next edge */ }
  }
  check(shown !== null, 'clicking an edge opens its evidence');
  const sentence = await page.textContent('#evidence .item .sentence');
  const meta = await page.textContent('#evidence .item .meta');
  const title = await page.textContent('#evidence .edge-title');
  check(sentence.trim().length > 10, `evidence of ${title}: "${sentence.trim()}"`);
  check(meta.trim().length > 0, `with its article: ${meta.trim()}`);

  const stanceColors = await page.evaluate(() => window.kgExplorer.cy.edges('[type = "STANCE"]')
    .map((e) => [e.data('polarity'), e.data('color')]));
  for (const [polarity, color] of stanceColors) {
    check((polarity === 'negative' && color === '#d32f2f') || (polarity === 'positive' && color === '#1e9e3a'),
          `a ${polarity} stance edge is drawn ${color}`);
  }
  // The Cypher box (when the server has POST /query): a table and a graph of the result.
  if (await page.isVisible('#query-section')) {
    await page.fill('#query', 'MATCH (p:Person)-[r]->(o) RETURN p.name AS person, p, r, o LIMIT 5');
    await page.click('#query-form button[type=submit]');
    await page.waitForSelector('#query-table table tr:nth-child(2)', { timeout: 10000 });
    const header = await page.textContent('#query-table table tr');
    check(header.includes('person'), `the query shows a table (${await page.textContent('#query-status')})`);
    const drawn = await page.evaluate(() => window.kgExplorer.cy.edges().length);
    check(drawn > 0, `the query's relationships are drawn (${drawn} edges)`);
    await page.fill('#query', 'MATCH (p:Person RETURN p');
    await page.click('#query-form button[type=submit]');
    await page.waitForFunction(() => /SyntaxError/.test(document.getElementById('query-status').textContent));
    check(true, 'a syntax error is shown: ' + await page.textContent('#query-status'));
    await page.fill('#query', 'MATCH (p:Person)-[r]->(o) RETURN p, r, o LIMIT 25');
    await page.click('#query-form button[type=submit]');
    await page.waitForSelector('#query-table table tr:nth-child(2)', { timeout: 10000 });
  } else {
    console.log('# the server has no POST /query: Cypher box not tested');
  }
  check(consoleErrors.length === 0, 'no errors in the console' +
        (consoleErrors.length ? ': ' + consoleErrors.join(' | ') : ''));
} catch (error) {
  failed = true;
  console.log('not ok - ' + error.message);
} finally {
  if (screenshot) await page.screenshot({ path: screenshot }).catch(() => {});
  await browser.close();
}
process.exit(failed ? 1 : 0);
