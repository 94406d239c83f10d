// kubenetlab's ui: draws the lab (the controller's Graphviz SVG) and follows it by long-polling
// /ui/graph.json; a click on a vertex shows its details. Plain JS, no libraries, no build.
(function () {
  'use strict';

  const app = {
    view: null,        // {version, svg, graph: {lab, vertices, edges}}
    selected: null,    // the selected vertex's id
    // Side panels: each {id, render(app)} is redrawn with every new view and selection. Another panel
    // (a trace form) adds a <section> in index.html and an entry here.
    panels: [],
  };

  function el(tag, text) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function setStatus(text, error) {
    const s = document.getElementById('status');
    s.textContent = text;
    s.className = error ? 'error' : '';
  }

  function vertex(id) {
    return app.view ? app.view.graph.vertices.find(v => v.id === id) : undefined;
  }

  function render(view) {
    app.view = view;
    document.getElementById('title').textContent = 'kubenetlab: lab ' + view.graph.lab;
    document.getElementById('graph').innerHTML = view.svg;
    for (const v of view.graph.vertices) {
      const g = document.getElementById(v.svgId);
      if (g) g.addEventListener('click', () => select(v.id));
    }
    highlight();
    app.panels.forEach(p => p.render(app));
  }

  function select(id) {
    app.selected = id;
    highlight();
    app.panels.forEach(p => p.render(app));
  }

  function highlight() {
    document.querySelectorAll('#graph g.node.selected').forEach(g => g.classList.remove('selected'));
    const v = vertex(app.selected);
    const g = v && document.getElementById(v.svgId);
    if (g) g.classList.add('selected');
  }

  const detailsPanel = {
    id: 'panel-details',
    render(app) {
      const body = document.querySelector('#panel-details .body');
      body.replaceChildren();
      if (!app.selected) {
        const p = el('p', 'Click a pod, a Service, a node or a machine.');
        p.className = 'hint';
        body.append(p);
        return;
      }
      const v = vertex(app.selected);
      if (!v) {
        body.append(el('p', app.selected.replace(/^[a-z]+:/, '') + ' is gone.'));
        return;
      }
      body.append(el('h3', v.kind.toLowerCase().replace('_', ' ') + ' ' + v.name));
      const table = el('table');
      for (const [k, val] of Object.entries(v.details)) {
        const tr = el('tr');
        tr.append(el('td', k), el('td', val));
        table.append(tr);
      }
      body.append(table);
      const out = app.view.graph.edges.filter(e => e.from === v.id && e.kind !== 'LINK');
      const into = app.view.graph.edges.filter(e => e.to === v.id && e.kind !== 'LINK');
      if (out.length) body.append(edgeList(v.kind === 'SERVICE' ? 'Endpoints' : 'Sends to', out, e => e.to));
      if (into.length) body.append(edgeList(v.kind === 'SERVICE' ? 'Balanced from' : 'Endpoint of', into, e => e.from));
    },
  };
  app.panels.push(detailsPanel);

  function edgeList(title, edges, other) {
    const div = el('div');
    div.append(el('h3', title));
    const ul = el('ul');
    for (const e of edges) {
      const o = vertex(other(e));
      const li = el('li', (o ? o.name : other(e)) + (e.label ? ' (' + e.label + ')' : '') + (e.ready ? '' : ' not ready'));
      li.style.cursor = 'pointer';
      li.addEventListener('click', () => select(other(e)));
      ul.append(li);
    }
    div.append(ul);
    return div;
  }

  const sleep = ms => new Promise(r => setTimeout(r, ms));

  // The token came in the URL; the server keeps it in an HttpOnly cookie, so it leaves the address bar.
  const token = new URLSearchParams(location.search).get('token');

  async function follow() {
    for (;;) {
      const since = app.view ? app.view.version : '';
      try {
        const r = await fetch('/ui/graph.json?since=' + encodeURIComponent(since) + (token ? '&token=' + encodeURIComponent(token) : ''),
          {credentials: 'same-origin', cache: 'no-store'});
        if (!r.ok) throw new Error(r.status + ' ' + (await r.text()));
        const view = await r.json();
        if (!app.view || view.version !== app.view.version) render(view);
        setStatus('live, drawn ' + new Date().toLocaleTimeString());
      } catch (e) {
        setStatus('cannot reach the controller (' + e.message + '); retrying', true);
        await sleep(1000);
      }
    }
  }

  if (window.KNL_DATA) {
    render(window.KNL_DATA);
    setStatus('a snapshot (kubenetlab graph -o html); kubenetlab ui shows it live');
  } else {
    if (token) history.replaceState(null, '', location.pathname);
    follow();
  }
})();
