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
    fillTraceForm(id);
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

  // The trace form: POST /ui/trace runs a real traced connection in the lab (a few seconds); the last
  // one is shown again after a reload. A click on the graph fills FROM, then TO.
  const tracePanel = {
    id: 'panel-trace',
    last: null,
    running: false,
    render(app) {
      const body = document.querySelector('#panel-trace .body');
      if (!body) return;
      body.replaceChildren();
      if (this.running) {
        body.append(el('p', 'tracing…'));
      } else if (this.last && this.last.error) {
        const p = el('p', this.last.error);
        p.className = 'error';
        body.append(p);
      } else if (this.last && this.last.text) {
        const h = el('h3', this.last.report.verdict);
        h.id = 'trace-verdict';
        const pre = el('pre', this.last.text);
        pre.id = 'trace-text';
        body.append(h, pre);
      }
    },
  };
  app.panels.push(tracePanel);

  function fillTraceForm(id) {
    const v = vertex(id);
    const form = document.getElementById('trace-form');
    if (!v || !form || !['POD', 'NODE', 'HOST', 'SERVICE', 'ROUTER', 'LOAD_BALANCER'].includes(v.kind)) return;
    const name = v.kind === 'SERVICE' && v.details && v.details.namespace ? v.details.namespace + '/' + v.name : v.name;
    const target = !form.from.value || (form.from.value && form.to.value) ? form.from : form.to;
    if (target === form.from) form.to.value = '';
    target.value = name;
  }

  async function runTrace(form) {
    tracePanel.running = true;
    tracePanel.render(app);
    try {
      const r = await fetch('/ui/trace' + (token ? '?token=' + encodeURIComponent(token) : ''), {
        method: 'POST', credentials: 'same-origin', cache: 'no-store',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({from: form.from.value, to: form.to.value, protocol: form.protocol.value}),
      });
      tracePanel.last = r.ok ? await r.json() : {error: r.status + ' ' + (await r.text())};
    } catch (e) {
      tracePanel.last = {error: 'cannot reach the controller: ' + e.message};
    }
    tracePanel.running = false;
    tracePanel.render(app);
  }

  async function loadLastTrace() {
    try {
      const r = await fetch('/ui/trace' + (token ? '?token=' + encodeURIComponent(token) : ''), {credentials: 'same-origin', cache: 'no-store'});
      if (r.ok) {
        const last = await r.json();
        if (last) {
          tracePanel.last = last;
          const form = document.getElementById('trace-form');
          form.from.value = last.from || '';
          form.to.value = last.to || '';
          tracePanel.render(app);
        }
      }
    } catch (e) {
      // shown by the graph's status line
    }
  }

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
    document.getElementById('panel-trace').remove(); // a file has no controller to trace with
    render(window.KNL_DATA);
    setStatus('a snapshot (kubenetlab graph -o html); kubenetlab ui shows it live');
  } else {
    if (token) history.replaceState(null, '', location.pathname);
    const form = document.getElementById('trace-form');
    form.addEventListener('submit', ev => {
      ev.preventDefault();
      runTrace(form);
    });
    loadLastTrace();
    follow();
  }
})();
