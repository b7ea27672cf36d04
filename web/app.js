// kg explorer: search an entity, draw its neighbourhood, expand nodes, filter edge types, read
// the evidence sentences of an edge, run Cypher. Talks to the kg serve API (docs/HTTP.md). Plain
// JS, no build step. Every text from the store goes into the page through textContent, never
// as HTML.
'use strict';

(function () {
  const LABEL_COLORS = {
    Person: '#3b6fd8', Organization: '#e08a1e', Country: '#2f9e6e', Place: '#7a9e2f',
    Group: '#9b59b6', Position: '#7f8c8d', Event: '#c0392b', Date: '#95a5a6', Other: '#5d6d7e',
  };
  const STANCE_COLORS = { positive: '#1e9e3a', negative: '#d32f2f' };
  const EDGE_COLOR = '#8a93a6';
  const NEIGHBOR_LIMIT = 25;

  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === 'class') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  };

  async function api(path, options) {
    const res = await fetch(path, options);
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (!res.ok) {
      const message = body && body.error ? body.error.message : res.statusText;
      const error = new Error(message);
      error.body = body;
      error.status = res.status;
      throw error;
    }
    return body;
  }

  // ---- graph ----
  let cy = null;
  const hiddenTypes = new Set();
  const knownTypes = new Set();

  function labelColor(labels) {
    for (const label of labels || []) if (LABEL_COLORS[label]) return LABEL_COLORS[label];
    return LABEL_COLORS.Other;
  }

  function edgeColor(type, properties) {
    if (type === 'STANCE' && properties && STANCE_COLORS[properties.polarity]) {
      return STANCE_COLORS[properties.polarity];
    }
    return EDGE_COLOR;
  }

  function showGraphMessage(text) {
    const box = $('graph-message');
    box.textContent = text || '';
    box.hidden = !text;
  }

  function initGraph() {
    if (typeof cytoscape !== 'function') {
      showGraphMessage('cytoscape.js is not installed: run scripts/install-web.sh, then reload.');
      return;
    }
    cy = cytoscape({
      container: $('graph'),
      wheelSensitivity: 0.3,
      style: [
        { selector: 'node', style: {
          'background-color': 'data(color)', label: 'data(name)', color: '#1d2330',
          'font-size': 11, 'text-valign': 'bottom', 'text-margin-y': 4, width: 26, height: 26,
          'text-wrap': 'ellipsis', 'text-max-width': 140, 'border-width': 0 } },
        { selector: 'node.center', style: { width: 36, height: 36, 'font-weight': 'bold' } },
        { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#1d2330' } },
        { selector: 'edge', style: {
          width: 'data(width)', 'line-color': 'data(color)', 'target-arrow-color': 'data(color)',
          'target-arrow-shape': 'triangle', 'curve-style': 'bezier', label: 'data(type)',
          'font-size': 9, color: '#556', 'text-rotation': 'autorotate',
          'text-background-color': '#fff', 'text-background-opacity': 0.8,
          'text-background-padding': 1 } },
        { selector: 'edge:selected', style: { width: 4, 'line-style': 'solid', 'z-index': 10 } },
        { selector: '.hidden-type', style: { display: 'none' } },
      ],
      layout: { name: 'grid' },
    });
    cy.on('tap', 'node', (event) => showEntity(Number(event.target.data('kgId'))));
    cy.on('dbltap', 'node', (event) => expand(Number(event.target.data('kgId'))));
    cy.on('tap', 'edge', (event) => showEvidence(Number(event.target.data('kgId'))));
    renderLegend();
  }

  function addNode(node, extraClass) {
    const id = 'n' + node.id;
    let element = cy.getElementById(id);
    if (element.empty()) {
      element = cy.add({ group: 'nodes', data: {
        id, kgId: node.id, name: node.name || ('#' + node.id), labels: node.labels || [],
        color: labelColor(node.labels) } });
    }
    if (extraClass) element.addClass(extraClass);
    return element;
  }

  function addEdge(edge) {
    const id = 'e' + edge.id;
    if (!cy.getElementById(id).empty()) return;
    if (cy.getElementById('n' + edge.source).empty() || cy.getElementById('n' + edge.target).empty()) {
      return;
    }
    const evidence = edge.evidence_count || 0;
    cy.add({ group: 'edges', data: {
      id, kgId: edge.id, source: 'n' + edge.source, target: 'n' + edge.target, type: edge.type,
      polarity: (edge.properties || {}).polarity || '',
      color: edgeColor(edge.type, edge.properties), width: Math.min(1.5 + Math.log2(1 + evidence), 6),
    } });
    registerType(edge.type);
  }

  function registerType(type) {
    if (knownTypes.has(type)) return;
    knownTypes.add(type);
    renderTypeFilter();
  }

  function applyTypeFilter() {
    if (!cy) return;
    cy.edges().forEach((edge) => {
      edge.toggleClass('hidden-type', hiddenTypes.has(edge.data('type')));
    });
  }

  function renderTypeFilter() {
    const box = $('type-filter');
    box.textContent = '';
    box.classList.remove('muted');
    for (const type of [...knownTypes].sort()) {
      const input = el('input', { type: 'checkbox', 'data-type': type });
      input.checked = !hiddenTypes.has(type);
      input.addEventListener('change', () => {
        if (input.checked) hiddenTypes.delete(type); else hiddenTypes.add(type);
        applyTypeFilter();
      });
      box.append(el('label', {}, input, ' ', type));
    }
    applyTypeFilter();
  }

  function renderLegend() {
    const legend = $('legend');
    legend.textContent = '';
    for (const [label, color] of Object.entries(LABEL_COLORS)) {
      const swatch = el('span', { class: 'swatch' });
      swatch.style.background = color;
      legend.append(el('span', {}, swatch, label, '  '));
    }
    legend.append(el('br'));
    for (const [polarity, color] of Object.entries(STANCE_COLORS)) {
      const swatch = el('span', { class: 'swatch' });
      swatch.style.background = color;
      legend.append(el('span', {}, swatch, 'stance ' + polarity, '  '));
    }
  }

  function runLayout(focus) {
    if (!cy || cy.nodes().empty()) return;
    const layout = cy.layout({
      name: 'cose', animate: false, randomize: false, nodeRepulsion: () => 9000,
      idealEdgeLength: () => 90, numIter: 600, fit: true, padding: 40,
    });
    layout.run();
    // A handful of nodes would be fitted to a huge zoom.
    if (cy.zoom() > 1.4) {
      cy.zoom(1.4);
      cy.center();
    }
    if (focus) cy.center(focus);
  }

  // Loads the neighbours of entity `id` into the graph (keeping what is there).
  async function expand(id) {
    if (!cy) return;
    showGraphMessage('');
    const body = await api(`/entities/${id}/neighbors?limit=${NEIGHBOR_LIMIT}`);
    const center = addNode(body.node);
    for (const item of body.neighbors) {
      addNode(item.node);
      addEdge(item.edge);
    }
    center.data('expanded', true);
    applyTypeFilter();
    runLayout();
    setStatus(`${body.node.name}: ${body.neighbors.length} of ${body.total} edges shown`);
  }

  // Starts a fresh graph around entity `id`.
  async function focusEntity(id) {
    if (!cy) { await showEntity(id); return; }
    cy.elements().remove();
    await expand(id);
    const center = cy.getElementById('n' + id);
    center.addClass('center');
    cy.$(':selected').unselect();
    center.select();
    await showEntity(id);
  }

  function setStatus(text) { $('stats').textContent = text; }

  // ---- side panel ----
  async function showEntity(id) {
    const box = $('details');
    let entity;
    try {
      entity = await api(`/entities/${id}`);
    } catch (error) {
      box.textContent = 'Cannot load entity: ' + error.message;
      box.className = 'error';
      return;
    }
    box.className = '';
    box.textContent = '';
    box.append(el('div', { class: 'name' }, entity.name || ('#' + entity.id)));
    box.append(el('div', {}, ...(entity.labels || []).map((l) => el('span', { class: 'badge' }, l))));
    if (entity.aliases && entity.aliases.length) {
      box.append(el('div', { class: 'muted' }, 'Also: ' + entity.aliases.join(', ')));
    }
    const table = el('table');
    for (const direction of ['out', 'in']) {
      for (const [type, count] of Object.entries(entity.edges[direction] || {})) {
        table.append(el('tr', {}, el('td', {}, direction === 'out' ? '→ ' + type : '← ' + type),
                        el('td', {}, String(count))));
      }
    }
    if (table.children.length) box.append(table);
    const props = Object.entries(entity.properties || {});
    if (props.length) {
      const ptable = el('table');
      for (const [key, value] of props) {
        ptable.append(el('tr', {}, el('td', {}, key),
                         el('td', {}, typeof value === 'string' ? value : JSON.stringify(value))));
      }
      box.append(ptable);
    }
    if (cy) box.append(el('button', { type: 'button', onclick: () => expand(entity.id) },
                          'Expand neighbours'));
  }

  async function showEvidence(edgeId) {
    const box = $('evidence');
    box.className = '';
    box.textContent = 'Loading…';
    let body;
    try {
      body = await api(`/edges/${edgeId}/evidence?limit=50`);
    } catch (error) {
      box.textContent = 'Cannot load evidence: ' + error.message;
      box.className = 'error';
      return;
    }
    box.textContent = '';
    const edge = body.edge;
    const name = (nodeId) => {
      const node = cy ? cy.getElementById('n' + nodeId) : null;
      return node && !node.empty() ? node.data('name') : '#' + nodeId;
    };
    const polarity = edge.properties && edge.properties.polarity ? ` (${edge.properties.polarity})` : '';
    box.append(el('div', { class: 'edge-title' },
                  `${name(edge.source)} —${edge.type}${polarity}→ ${name(edge.target)}`));
    box.append(el('div', { class: 'muted' },
                  `${body.total} evidence record${body.total === 1 ? '' : 's'}` +
                  (body.evidence.length < body.total ? `, first ${body.evidence.length} shown` : '')));
    for (const item of body.evidence) {
      const doc = item.document;
      const title = doc ? (doc.title || doc.external_id || 'document ' + doc.id) : 'no document';
      const meta = [title, doc && doc.date, item.rule, 'confidence ' + Number(item.confidence).toFixed(2)]
        .filter(Boolean).join(' · ');
      const entry = el('div', { class: 'item' }, el('div', { class: 'sentence' }, item.sentence),
                       el('div', { class: 'meta' }, meta));
      if (edge.type === 'STANCE') entry.style.borderLeftColor = edgeColor(edge.type, edge.properties);
      box.append(entry);
    }
  }

  // ---- search ----
  let searchTimer = null;
  let searchSeq = 0;

  function hideResults() { $('results').hidden = true; }

  async function search(text) {
    const seq = ++searchSeq;
    const list = $('results');
    if (!text.trim()) { hideResults(); return; }
    let body;
    try {
      body = await api('/entities?limit=12&q=' + encodeURIComponent(text));
    } catch (error) {
      if (seq !== searchSeq) return;
      list.textContent = '';
      list.append(el('li', { class: 'error' }, error.message));
      list.hidden = false;
      return;
    }
    if (seq !== searchSeq) return;
    list.textContent = '';
    if (!body.entities.length) list.append(el('li', { class: 'muted' }, 'No entity starts with that'));
    for (const entity of body.entities) {
      list.append(el('li', { role: 'option', 'data-id': String(entity.id),
                             onclick: () => { hideResults(); $('search').value = entity.name;
                                              focusEntity(entity.id).catch(reportError); } },
                     el('span', {}, entity.name),
                     el('span', { class: 'label' }, (entity.labels || []).join(', ') +
                        ` · ${entity.degree}`)));
    }
    list.hidden = false;
  }

  function reportError(error) { showGraphMessage('Error: ' + error.message); }

  function initSearch() {
    const input = $('search');
    input.addEventListener('input', () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => search(input.value), 150);
    });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        const first = $('results').querySelector('li[data-id]');
        if (first) first.click();
      } else if (event.key === 'Escape') {
        hideResults();
      }
    });
    document.addEventListener('click', (event) => {
      if (!event.target.closest('.search')) hideResults();
    });
  }

  // ---- Cypher ----
  function isNode(v) { return v && typeof v === 'object' && 'labels' in v && 'id' in v && !('type' in v); }
  function isRel(v) { return v && typeof v === 'object' && 'type' in v && 'start' in v && 'end' in v; }
  function isPath(v) { return v && typeof v === 'object' && Array.isArray(v.nodes) && Array.isArray(v.relationships); }

  function cellText(value) {
    if (value === null || value === undefined) return 'null';
    if (isNode(value)) return `(${(value.labels || []).map((l) => ':' + l).join('')} ${value.properties && value.properties.name ? value.properties.name : '#' + value.id})`;
    if (isRel(value)) return `[:${value.type} #${value.id}]`;
    if (isPath(value)) return `path of ${value.relationships.length}`;
    if (typeof value === 'string') return value;
    return JSON.stringify(value);
  }

  function collectGraph(value, nodes, rels) {
    if (isNode(value)) nodes.set(value.id, value);
    else if (isRel(value)) rels.set(value.id, value);
    else if (isPath(value)) {
      value.nodes.forEach((n) => nodes.set(n.id, n));
      value.relationships.forEach((r) => rels.set(r.id, r));
    } else if (Array.isArray(value)) value.forEach((v) => collectGraph(v, nodes, rels));
  }

  async function runQuery(event) {
    event.preventDefault();
    const status = $('query-status');
    const table = $('query-table');
    status.className = 'muted';
    status.textContent = 'Running…';
    let body;
    try {
      body = await api('/query', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                   body: JSON.stringify({ query: $('query').value }) });
    } catch (error) {
      const e = error.body && error.body.error;
      status.className = 'error';
      // The message names the error and, when known, its line:column.
      status.textContent = e ? (e.message.startsWith(e.code) ? e.message : `${e.code}: ${e.message}`)
                             : error.message;
      return;
    }
    status.textContent = `${body.stats.rows} row${body.stats.rows === 1 ? '' : 's'} in ${body.stats.elapsed_ms} ms`;
    table.textContent = '';
    const t = el('table', {}, el('tr', {}, ...body.columns.map((c) => el('th', {}, c))));
    for (const row of body.rows.slice(0, 500)) {
      t.append(el('tr', {}, ...row.map((v) => el('td', {}, cellText(v)))));
    }
    table.append(t);
    const nodes = new Map();
    const rels = new Map();
    body.rows.forEach((row) => row.forEach((v) => collectGraph(v, nodes, rels)));
    if (cy && nodes.size) {
      cy.elements().remove();
      for (const n of nodes.values()) {
        addNode({ id: n.id, labels: n.labels, name: (n.properties || {}).name });
      }
      for (const r of rels.values()) {
        addEdge({ id: r.id, source: r.start, target: r.end, type: r.type, properties: r.properties });
      }
      applyTypeFilter();
      runLayout();
    }
  }

  async function init() {
    initGraph();
    initSearch();
    try {
      const [stats, health] = await Promise.all([api('/stats'), api('/health')]);
      setStatus(`${stats.nodes} entities · ${stats.edges} edges · ${stats.documents} documents`);
      (stats.edge_types || []).forEach(registerType);
      if (health.features && health.features.query) {
        $('query-section').hidden = false;
        $('query-form').addEventListener('submit', runQuery);
      }
    } catch (error) {
      setStatus('API unavailable: ' + error.message);
    }
    const start = new URLSearchParams(location.search).get('entity');
    if (start && /^\d+$/.test(start)) focusEntity(Number(start)).catch(reportError);
  }

  window.kgExplorer = { get cy() { return cy; }, expand, focusEntity, showEvidence };
  init();
})();
