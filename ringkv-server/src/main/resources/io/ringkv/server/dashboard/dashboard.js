// The ringkv dashboard: polls the node that served this page (same origin, so no CORS) and
// draws what it reports. GET /api/v1/cluster: members, status, liveness; GET /api/v1/ring: the
// tokens, fetched again when their version changes; GET /api/v1/stats/cluster: every node's
// live figures, gathered by the serving node. docs/http-api.md, "Dashboard".
'use strict';
(function () {
  const POLL_MILLIS = 1000;
  const RING_EVERY_POLLS = 5; // the ring changes only on joins and departures
  const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const CX = 200, CY = 200, RADIUS = 150;
  const TWO_PI = 2 * Math.PI;

  let ring = null;
  let polls = 0;

  // 'no-cache' for the ring: the browser keeps it and asks with If-None-Match, and the node answers
  // 304 without a body while the ring has not changed. Everything else changes every second.
  async function getJson(path, cache) {
    const response = await fetch(path, { cache: cache || 'no-store' });
    if (!response.ok) {
      throw new Error(path + ' answered ' + response.status);
    }
    return response.json();
  }

  // A token is 32 hex digits of a 128-bit ring; its first 12 give its angle to well under a pixel.
  function angleOf(token) {
    return parseInt(token.slice(0, 12), 16) / 2 ** 48 * TWO_PI;
  }

  function point(angle) { // 0 at the top, clockwise
    return (CX + RADIUS * Math.sin(angle)).toFixed(2) + ',' + (CY - RADIUS * Math.cos(angle)).toFixed(2);
  }

  function arc(from, to) {
    if (to - from >= TWO_PI - 1e-9) { // a whole circle: two halves, an arc cannot end where it starts
      return arc(from, from + Math.PI) + arc(from + Math.PI, to);
    }
    const large = to - from > Math.PI ? 1 : 0;
    return 'M' + point(from) + 'A' + RADIUS + ',' + RADIUS + ' 0 ' + large + ' 1 ' + point(to);
  }

  // One path per node: each range (previous token, token] in its owner's colour, neighbouring
  // ranges of one owner merged.
  function ringPaths(view) {
    const tokens = [];
    view.nodes.forEach(node => node.tokens.forEach(t => tokens.push({ angle: angleOf(t), owner: node.id })));
    tokens.sort((a, b) => a.angle - b.angle);
    const paths = new Map(view.nodes.map(node => [node.id, '']));
    let i = 0;
    while (i < tokens.length) {
      const owner = tokens[i].owner;
      const from = i === 0 ? tokens[tokens.length - 1].angle - TWO_PI : tokens[i - 1].angle;
      let j = i;
      while (j + 1 < tokens.length && tokens[j + 1].owner === owner) {
        j++;
      }
      paths.set(owner, paths.get(owner) + arc(from, tokens[j].angle));
      i = j + 1;
    }
    return paths;
  }

  function colourOf(id, ids) {
    return PALETTE[Math.max(0, ids.indexOf(id)) % PALETTE.length];
  }

  function drawRing(view, ids) {
    const arcs = document.getElementById('arcs');
    arcs.replaceChildren();
    ringPaths(view).forEach((d, id) => {
      const group = document.createElementNS(SVG_NS, 'g');
      group.setAttribute('data-node', id);
      const path = document.createElementNS(SVG_NS, 'path');
      path.setAttribute('d', d);
      path.setAttribute('stroke', colourOf(id, ids));
      const title = document.createElementNS(SVG_NS, 'title');
      title.textContent = id;
      path.appendChild(title);
      group.appendChild(path);
      arcs.appendChild(group);
    });
  }

  function markHealth(members) {
    const byId = new Map(members.map(m => [m.id, m]));
    document.querySelectorAll('#arcs g[data-node]').forEach(group => {
      const m = byId.get(group.getAttribute('data-node'));
      const liveness = m ? m.liveness : 'DOWN';
      const status = m ? m.status : 'LEFT';
      group.setAttribute('data-liveness', liveness);
      group.setAttribute('data-status', status);
      group.setAttribute('class', 'liveness-' + liveness + ' status-' + status);
    });
  }

  function bytes(n) {
    if (n === undefined || n === null) return '';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let u = 0;
    while (n >= 1024 && u < units.length - 1) { n /= 1024; u++; }
    return (u === 0 ? n : n.toFixed(1)) + ' ' + units[u];
  }

  function rate(op) {
    if (!op) return '';
    const perSecond = op.perSecond >= 100 ? op.perSecond.toFixed(0) : op.perSecond.toFixed(1);
    if (op.perSecond === 0) return '0';
    return perSecond + (op.failedPerSecond > 0 ? ' (' + op.failedPerSecond.toFixed(1) + ' failed)' : '')
      + '<br><small>' + op.p50Millis.toFixed(2) + ' / ' + op.p99Millis.toFixed(2) + '</small>';
  }

  function activity(stats) {
    const parts = [];
    const s = stats.streaming;
    if (s && s.state !== 'DONE') { // a finished join is history, not activity
      parts.push(s.kind + ' ' + s.state + ' ' + s.rangesDone + '/' + s.rangesTotal + ' ranges'
        + (s.etaMillis >= 0 ? ', ETA ' + Math.ceil(s.etaMillis / 1000) + ' s' : ''));
    }
    const r = stats.repair;
    if (r && r.state === 'RUNNING') {
      parts.push('repair #' + r.id + ' ' + r.rangesDone + '/' + r.rangesTotal + ' ranges');
    } else if (r) {
      parts.push('<small>last repair #' + r.id + ' ' + r.state + ', ' + r.rangesDiffering + ' differing</small>');
    }
    return parts.join('<br>');
  }

  function escape(text) {
    return String(text).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  }

  function drawTable(cluster, statsByNode, ids) {
    const rows = cluster.members.filter(m => m.status !== 'LEFT').map(m => {
      const stats = statsByNode[m.id] || { error: 'no figures yet' };
      const ops = stats.operations || {};
      const cells = stats.error
        ? '<td colspan="6" class="unreachable" title="' + escape(stats.error) + '">no figures: ' + escape(stats.error) + '</td>'
        : '<td>' + rate(ops.get) + '</td><td>' + rate(ops.put) + '</td><td>' + rate(ops.delete) + '</td>'
          + '<td>' + (stats.hints ? stats.hints.pending + (stats.hints.pending ? '<br><small>' + bytes(stats.hints.bytes) + '</small>' : '') : '') + '</td>'
          + '<td data-field="storage">' + bytes(stats.storage.diskBytes) + '<br><small>'
          + stats.storage.memtables + (stats.storage.memtables === 1 ? ' memtable, ' : ' memtables, ') + bytes(stats.storage.memtableBytes)
          + '<br>' + stats.storage.sstables + (stats.storage.sstables === 1 ? ' table, ' : ' tables, ')
          + bytes(stats.storage.sstableBytes) + '</small></td>'
          + '<td>' + activity(stats) + '</td>';
      return '<tr data-node-row="' + escape(m.id) + '"' + (m.id === cluster.self ? ' class="self"' : '') + '>'
        + '<td><span class="swatch" style="background:' + colourOf(m.id, ids) + '"></span> ' + escape(m.id)
        + '<br><small>' + escape(m.http) + '</small></td>'
        + '<td data-field="status"><span class="badge ' + escape(m.status) + '">' + escape(m.status) + '</span></td>'
        + '<td data-field="liveness"><span class="badge ' + escape(m.liveness) + '">' + escape(m.liveness) + '</span></td>'
        + '<td>' + (100 * m.ringShare).toFixed(1) + ' %<br><small>' + m.tokens + ' tokens</small></td>'
        + cells + '</tr>';
    });
    document.querySelector('#nodes tbody').innerHTML = rows.join('');
  }

  function drawSummary(cluster, statsByNode) {
    const up = cluster.members.filter(m => m.liveness === 'UP' && m.status !== 'LEFT').length;
    const present = cluster.members.filter(m => m.status !== 'LEFT').length;
    let opsPerSecond = 0;
    Object.values(statsByNode).forEach(s => {
      Object.values(s.operations || {}).forEach(op => { opsPerSecond += op.perSecond; });
    });
    const rep = cluster.replication;
    document.getElementById('seen-from').textContent = 'as seen from ' + cluster.self;
    document.getElementById('summary').textContent = 'N=' + rep.n + ' R=' + rep.r + ' W=' + rep.w
      + ' \u00b7 ' + opsPerSecond.toFixed(0) + ' requests/s';
    document.getElementById('ring-title').textContent = up + ' of ' + present + ' nodes up';
    document.getElementById('ring-subtitle').textContent = ring
      ? ring.tokens + ' tokens \u00b7 ring ' + ring.version.slice(0, 8) : 'no ring yet';
    document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  }

  function showProblem(text) {
    const banner = document.getElementById('banner');
    banner.hidden = !text;
    banner.textContent = text || '';
  }

  async function poll() {
    try {
      const [cluster, stats] = await Promise.all([getJson('/api/v1/cluster'), getJson('/api/v1/stats/cluster')]);
      const ids = cluster.members.map(m => m.id).sort();
      if (ring === null || polls % RING_EVERY_POLLS === 0) {
        const view = await getJson('/api/v1/ring', 'no-cache');
        if (ring === null || view.version !== ring.version) {
          ring = view;
          drawRing(view, ids);
        }
      }
      markHealth(cluster.members);
      drawTable(cluster, stats.nodes, ids);
      drawSummary(cluster, stats.nodes);
      showProblem(null);
    } catch (e) {
      // the serving node may be restarting: say so on the page and keep polling
      showProblem('Lost contact with the node serving this page (' + e.message + '); retrying every second.');
    }
    polls++;
    setTimeout(poll, POLL_MILLIS);
  }

  poll();
})();
