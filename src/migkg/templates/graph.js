// migkg actor-graph page: a small canvas renderer for a precomputed layout (no physics, no network).
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var nodes = data.nodes, edges = data.edges, meta = data.meta;
  var N = nodes.length, E = edges.length;
  var KIND_COLOURS = { organization: "#1f77b4", country: "#2ca02c", programme: "#ff7f0e", event: "#9467bd",
                       series: "#8c564b" };
  var PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                 "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd"];

  var canvas = document.getElementById("canvas"), ctx = canvas.getContext("2d");
  var tooltip = document.getElementById("tooltip"), details = document.getElementById("details");
  var statusEl = document.getElementById("status"), legend = document.getElementById("legend");
  var searchBox = document.getElementById("search"), colourBy = document.getElementById("colour-by");

  // ------------------------------------------------------------ model
  var xs = new Float64Array(N), ys = new Float64Array(N), base = new Float32Array(N);
  var visible = new Uint8Array(N), rank = new Int32Array(N), colour = new Array(N);
  var adjacency = [], searchText = [], maxW = 1, i;
  for (i = 0; i < N; i++) {
    xs[i] = nodes[i].x; ys[i] = -nodes[i].y; adjacency.push([]); visible[i] = 1;
    var a = nodes[i].a || {};
    maxW = Math.max(maxW, a.weighted_degree || 0);
    searchText.push([nodes[i].label, nodes[i].id, a.acronym || "", a.iso2 || ""].join(" ").toLowerCase());
  }
  for (i = 0; i < N; i++) base[i] = 3 + 10 * Math.sqrt(((nodes[i].a || {}).weighted_degree || 0) / maxW);
  for (i = 0; i < E; i++) { adjacency[edges[i][0]].push(i); adjacency[edges[i][1]].push(i); }
  var order = []; for (i = 0; i < N; i++) order.push(i);
  order.sort(function (p, q) { return base[q] - base[p]; });
  order.forEach(function (n, r) { rank[n] = r; });
  var hiddenKinds = {}, selected = -1, hoverNode = -1, hoverEdge = -1, query = "", matches = N;

  // ------------------------------------------------------------ colours and legend
  function hashColour(s) {
    var h = 0; for (var k = 0; k < s.length; k++) h = (h * 31 + s.charCodeAt(k)) >>> 0;
    return "hsl(" + (h % 360) + ", 62%, 46%)";
  }
  function colourOf(n) {
    var a = nodes[n].a || {}, mode = colourBy.value;
    if (mode === "country") return a.iso2 ? hashColour(a.iso2) : "#9aa0a6";
    if (mode === "community") return PALETTE[(a.community || 0) % PALETTE.length];
    return KIND_COLOURS[nodes[n].kind] || "#7f7f7f";
  }
  function recolour() {
    var counts = {};
    for (var n = 0; n < N; n++) {
      colour[n] = colourOf(n);
      var a = nodes[n].a || {}, key = colourBy.value === "kind" ? nodes[n].kind :
        colourBy.value === "country" ? (a.iso2 || "no country") : "community " + (a.community || 0);
      if (!counts[key]) counts[key] = { n: 0, colour: colour[n] };
      counts[key].n++;
    }
    legend.textContent = "";
    Object.keys(counts).sort(function (p, q) { return counts[q].n - counts[p].n; }).slice(0, 12)
      .forEach(function (key) {
        var row = document.createElement("div"), sw = document.createElement("span");
        sw.className = "swatch"; sw.style.background = counts[key].colour;
        row.appendChild(sw); row.appendChild(document.createTextNode(key + " (" + counts[key].n + ")"));
        legend.appendChild(row);
      });
  }

  // ------------------------------------------------------------ view
  var dpr = window.devicePixelRatio || 1, W = 0, H = 0, scale = 1, tx = 0, ty = 0, fitScale = 1;
  function resize() {
    W = canvas.clientWidth; H = canvas.clientHeight;
    canvas.width = Math.max(1, Math.round(W * dpr)); canvas.height = Math.max(1, Math.round(H * dpr));
  }
  function fit() {
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity, any = false;
    for (var n = 0; n < N; n++) {
      if (!visible[n]) continue;
      any = true;
      x0 = Math.min(x0, xs[n]); x1 = Math.max(x1, xs[n]); y0 = Math.min(y0, ys[n]); y1 = Math.max(y1, ys[n]);
    }
    if (!any) { x0 = y0 = -1; x1 = y1 = 1; }
    var w = Math.max(x1 - x0, 1), h = Math.max(y1 - y0, 1);
    // room on the right for the labels, which are drawn to the right of their nodes
    var left = 30, right = Math.min(200, W / 4);
    scale = Math.min((W - left - right) / w, (H - 60) / h);
    if (!isFinite(scale) || scale <= 0) scale = 1;
    fitScale = scale;
    tx = left + (W - left - right) / 2 - scale * (x0 + x1) / 2; ty = H / 2 - scale * (y0 + y1) / 2;
  }
  function sx(n) { return xs[n] * scale + tx; }
  function sy(n) { return ys[n] * scale + ty; }
  function zoomFactor() { return Math.min(4, Math.max(1, Math.sqrt(scale / fitScale))); }
  function radius(n) { return base[n] * zoomFactor(); }
  function zoomAt(px, py, f) {
    var ns = Math.min(fitScale * 400, Math.max(fitScale / 4, scale * f));
    tx = px - (px - tx) * ns / scale; ty = py - (py - ty) * ns / scale; scale = ns; schedule();
  }

  // ------------------------------------------------------------ drawing
  var pending = false;
  function schedule() { if (!pending) { pending = true; requestAnimationFrame(draw); } }
  function onScreen(x, y, m) { return x > -m && x < W + m && y > -m && y < H + m; }

  function drawEdge(e) {
    var s = edges[e][0], t = edges[e][1];
    ctx.moveTo(sx(s), sy(s)); ctx.lineTo(sx(t), sy(t));
  }
  function drawArrow(e) {
    var s = edges[e][0], t = edges[e][1], x = sx(t), y = sy(t), dx = x - sx(s), dy = y - sy(s);
    var len = Math.sqrt(dx * dx + dy * dy); if (len < 1) return;
    dx /= len; dy /= len; x -= dx * radius(t); y -= dy * radius(t);
    ctx.moveTo(x, y); ctx.lineTo(x - dx * 8 - dy * 4, y - dy * 8 + dx * 4);
    ctx.lineTo(x - dx * 8 + dy * 4, y - dy * 8 - dx * 4); ctx.closePath();
  }
  function edgeLabel(e) { return String(edges[e][2]); }

  function draw() {
    pending = false;
    var started = performance.now();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, H);
    var e, n, shown = [];
    ctx.lineWidth = 1; ctx.strokeStyle = "rgba(120,120,120,0.28)"; ctx.beginPath();
    for (e = 0; e < E; e++) {
      if (!visible[edges[e][0]] || !visible[edges[e][1]]) continue;
      drawEdge(e);
      if (shown.length < 201 && (onScreen(sx(edges[e][0]), sy(edges[e][0]), 0) ||
                                 onScreen(sx(edges[e][1]), sy(edges[e][1]), 0))) shown.push(e);
    }
    ctx.stroke();
    var focus = selected >= 0 ? adjacency[selected] : [];
    if (hoverEdge >= 0) focus = focus.concat([hoverEdge]);
    if (focus.length) {
      ctx.lineWidth = 2; ctx.strokeStyle = "rgba(214,39,40,0.75)"; ctx.beginPath();
      focus.forEach(drawEdge); ctx.stroke();
      if (meta.directed) { ctx.fillStyle = "rgba(214,39,40,0.85)"; ctx.beginPath(); focus.forEach(drawArrow); ctx.fill(); }
    }
    // nodes, batched by colour; those not matching the search are faint
    var groups = {};
    for (n = 0; n < N; n++) {
      if (!visible[n] && !query) continue;
      if (hiddenKinds[nodes[n].kind]) continue;
      var x = sx(n), y = sy(n);
      if (!onScreen(x, y, 20)) continue;
      var key = (visible[n] ? "1" : "0") + colour[n];
      (groups[key] = groups[key] || []).push(n);
    }
    Object.keys(groups).sort().forEach(function (key) {
      ctx.globalAlpha = key.charAt(0) === "1" ? 0.92 : 0.12;
      ctx.fillStyle = key.slice(1); ctx.beginPath();
      groups[key].forEach(function (m) { var r = radius(m); ctx.moveTo(sx(m) + r, sy(m)); ctx.arc(sx(m), sy(m), r, 0, 6.2832); });
      ctx.fill();
    });
    ctx.globalAlpha = 1;
    if (selected >= 0) {
      ctx.lineWidth = 3; ctx.strokeStyle = "#d62728"; ctx.beginPath();
      ctx.arc(sx(selected), sy(selected), radius(selected) + 3, 0, 6.2832); ctx.stroke();
    }
    // edge weights: the selected node's edges, or every edge on screen once few enough are shown
    ctx.font = "11px system-ui, sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "middle";
    var zoomed = scale > 2 * fitScale || shown.length <= 40;
    var weighted = focus.length ? focus.slice().sort(function (p, q) { return edges[q][2] - edges[p][2]; })
      .slice(0, 40) : (zoomed && shown.length <= 200 ? shown : []);
    if (meta.directed && !focus.length && shown.length <= 200) {
      ctx.fillStyle = "rgba(110,110,110,0.6)"; ctx.beginPath(); shown.forEach(drawArrow); ctx.fill();
    }
    weighted.forEach(function (e) {
      var mx = (sx(edges[e][0]) + sx(edges[e][1])) / 2, my = (sy(edges[e][0]) + sy(edges[e][1])) / 2;
      if (!onScreen(mx, my, 0)) return;
      var t = edgeLabel(e), w = ctx.measureText(t).width + 6;
      ctx.fillStyle = "rgba(255,255,255,0.85)"; ctx.fillRect(mx - w / 2, my - 7, w, 14);
      ctx.fillStyle = "#b3261e"; ctx.fillText(t, mx, my);
    });
    // node labels: the biggest nodes, more of them as one zooms in; search matches; the selection
    var budget = Math.round(12 * zoomFactor() * zoomFactor()), labelled = 0;
    ctx.textAlign = "left"; ctx.font = "12px system-ui, sans-serif"; placed = [];
    if (selected >= 0) labelText(selected, true);
    if (query && matches <= 60) {
      for (n = 0; n < N; n++) if (visible[n] && onScreen(sx(n), sy(n), 0)) labelText(n, true);
    }
    for (var r = 0; r < N && labelled < budget && r < 4 * budget + 50; r++) {
      n = order[r];
      if (!visible[n] || hiddenKinds[nodes[n].kind] || !onScreen(sx(n), sy(n), 0)) continue;
      if (labelText(n, false)) labelled++;
    }
    document.body.dataset.drawMs = (performance.now() - started).toFixed(1);
    if (document.body.dataset.ready !== "true") {
      document.body.dataset.readyMs = performance.now().toFixed(0);
      document.body.dataset.ready = "true";
    }
  }
  // labels never overlap one another (except those one asked for: the selection, search matches)
  var placed = [];
  function labelText(n, force) {
    var a = nodes[n].a || {}, t = a.acronym && nodes[n].label.length > 28 ? a.acronym : nodes[n].label;
    if (t.length > 48) t = t.slice(0, 47) + "…";
    var x = sx(n) + radius(n) + 3, y = sy(n), w = ctx.measureText(t).width, box = [x, y - 8, x + w, y + 8];
    for (var k = 0; k < placed.length && !force; k++) {
      var b = placed[k];
      if (box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]) return false;
    }
    placed.push(box);
    ctx.lineWidth = 3; ctx.strokeStyle = "rgba(255,255,255,0.9)"; ctx.strokeText(t, x, y);
    ctx.fillStyle = "#111"; ctx.fillText(t, x, y);
    return true;
  }

  // ------------------------------------------------------------ hit testing
  function nodeAt(px, py) {
    var best = -1, bestD = Infinity;
    for (var n = 0; n < N; n++) {
      if (!visible[n] || hiddenKinds[nodes[n].kind]) continue;
      var dx = sx(n) - px, dy = sy(n) - py, d = dx * dx + dy * dy, r = radius(n) + 4;
      if (d <= r * r && d < bestD) { best = n; bestD = d; }
    }
    return best;
  }
  function edgeAt(px, py) {
    var best = -1, bestD = 25;
    for (var e = 0; e < E; e++) {
      var s = edges[e][0], t = edges[e][1];
      if (!visible[s] || !visible[t]) continue;
      var x1 = sx(s), y1 = sy(s), x2 = sx(t), y2 = sy(t), dx = x2 - x1, dy = y2 - y1, l2 = dx * dx + dy * dy;
      var u = l2 ? Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / l2)) : 0;
      var qx = x1 + u * dx - px, qy = y1 + u * dy - py, d = qx * qx + qy * qy;
      if (d < bestD) { best = e; bestD = d; }
    }
    return best;
  }

  // ------------------------------------------------------------ details panel (DOM, never innerHTML)
  function el(tag, text, cls) {
    var x = document.createElement(tag);
    if (text !== undefined && text !== null) x.textContent = String(text);
    if (cls) x.className = cls;
    return x;
  }
  function row(table, k, v, cls) {
    var tr = el("tr"); tr.appendChild(el("td", k)); tr.appendChild(el("td", v, cls)); table.appendChild(tr);
  }
  var METRICS = ["degree", "weighted_degree", "betweenness", "community", "activity", "event_count",
                 "first_year", "last_year"];
  function showDetails(n) {
    details.textContent = "";
    if (n < 0) { details.appendChild(el("p", "Click a node to see its details.", "hint")); return; }
    var node = nodes[n], a = node.a || {};
    details.appendChild(el("h2", node.label));
    var t1 = el("table");
    row(t1, "kind", node.kind); row(t1, "IRI", node.id, "iri");
    Object.keys(a).sort().forEach(function (k) { if (METRICS.indexOf(k) < 0) row(t1, k, a[k]); });
    details.appendChild(t1);
    details.appendChild(el("h3", "Metrics"));
    var t2 = el("table");
    METRICS.forEach(function (k) { if (a[k] !== undefined && a[k] !== "") row(t2, k.replace(/_/g, " "), a[k]); });
    details.appendChild(t2);
    var mine = adjacency[n].slice().sort(function (p, q) { return edges[q][2] - edges[p][2]; });
    details.appendChild(el("h3", "Edges (" + mine.length + ") and the releases behind them"));
    var ul = el("ul");
    mine.slice(0, 150).forEach(function (e) {
      var ed = edges[e], other = ed[0] === n ? ed[1] : ed[0], li = el("li");
      var arrow = meta.directed ? (ed[0] === n ? "→ " : "← ") : "";
      li.appendChild(document.createTextNode(arrow));
      var link = el("a", nodes[other].label, "node-link");
      link.addEventListener("click", function () { select(other, true); });
      li.appendChild(link);
      li.appendChild(document.createTextNode(" — weight " + ed[2] + (ed[3] ? ", years " + ed[3] : "") +
                                             (ed[6] ? ", " + ed[6] : "")));
      var rl = el("ul");
      ed[4].forEach(function (r) { rl.appendChild(el("li", data.releases[r], "iri release")); });
      li.appendChild(rl); ul.appendChild(li);
    });
    if (mine.length > 150) ul.appendChild(el("li", "… and " + (mine.length - 150) + " more", "hint"));
    details.appendChild(ul);
  }
  function select(n, centre) {
    selected = n; showDetails(n);
    if (centre && n >= 0) { tx += W / 2 - sx(n); ty += H / 2 - sy(n); }
    schedule();
  }

  // ------------------------------------------------------------ search and kind filters
  function applyFilter() {
    query = searchBox.value.trim().toLowerCase(); matches = 0;
    for (var n = 0; n < N; n++) {
      visible[n] = !hiddenKinds[nodes[n].kind] && (!query || searchText[n].indexOf(query) >= 0) ? 1 : 0;
      matches += visible[n];
    }
    // with a search, keep the matches' neighbours' edges visible by showing matches only
    document.body.dataset.visibleCount = String(matches);
    updateStatus(); schedule();
  }
  function updateStatus() {
    statusEl.textContent = (query || Object.keys(hiddenKinds).length ? matches + " of " : "") + N + " nodes, " +
      E + " edges · " + meta.kind + (meta.filters ? " · " + meta.filters : "") +
      (meta.approximations ? " · " + meta.approximations : "");
  }
  var kindsEl = document.getElementById("kinds"), kinds = {};
  nodes.forEach(function (nd) { kinds[nd.kind] = (kinds[nd.kind] || 0) + 1; });
  Object.keys(kinds).sort().forEach(function (k) {
    var lab = el("label"), box = el("input"); box.type = "checkbox"; box.checked = true; box.value = k;
    box.addEventListener("change", function () {
      if (box.checked) delete hiddenKinds[k]; else hiddenKinds[k] = true;
      applyFilter();
    });
    lab.appendChild(box); lab.appendChild(document.createTextNode(" " + k + " (" + kinds[k] + ")"));
    kindsEl.appendChild(lab);
  });
  searchBox.addEventListener("input", applyFilter);
  searchBox.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") return;
    for (var r = 0; r < N; r++) if (visible[order[r]]) { select(order[r], true); return; }
  });
  colourBy.addEventListener("change", function () { recolour(); schedule(); });

  // ------------------------------------------------------------ pointer: pan, zoom, hover, click
  var drag = null;
  function pos(ev) { var b = canvas.getBoundingClientRect(); return [ev.clientX - b.left, ev.clientY - b.top]; }
  canvas.addEventListener("pointerdown", function (ev) {
    var p = pos(ev); drag = { x: p[0], y: p[1], tx: tx, ty: ty, moved: false };
    canvas.setPointerCapture(ev.pointerId);
  });
  canvas.addEventListener("pointermove", function (ev) {
    var p = pos(ev);
    if (drag) {
      if (Math.abs(p[0] - drag.x) + Math.abs(p[1] - drag.y) > 4) drag.moved = true;
      if (drag.moved) { canvas.classList.add("dragging"); tx = drag.tx + p[0] - drag.x; ty = drag.ty + p[1] - drag.y; schedule(); }
      return;
    }
    var n = nodeAt(p[0], p[1]), e = n < 0 ? edgeAt(p[0], p[1]) : -1;
    if (n !== hoverNode || e !== hoverEdge) { hoverNode = n; hoverEdge = e; schedule(); }
    if (n >= 0 || e >= 0) {
      tooltip.hidden = false;
      tooltip.textContent = n >= 0 ? nodes[n].label + " (" + nodes[n].kind + ")" :
        nodes[edges[e][0]].label + (meta.directed ? " → " : " — ") + nodes[edges[e][1]].label +
        ": weight " + edges[e][2] + (edges[e][3] ? " (" + edges[e][3] + ")" : "");
      tooltip.style.left = (p[0] + 14) + "px"; tooltip.style.top = (p[1] + 10) + "px";
    } else tooltip.hidden = true;
  });
  canvas.addEventListener("pointerup", function (ev) {
    var p = pos(ev), d = drag; drag = null; canvas.classList.remove("dragging");
    if (d && !d.moved) select(nodeAt(p[0], p[1]), false);
  });
  canvas.addEventListener("pointerleave", function () { tooltip.hidden = true; });
  canvas.addEventListener("wheel", function (ev) {
    ev.preventDefault(); var p = pos(ev); zoomAt(p[0], p[1], Math.exp(-ev.deltaY * 0.0015));
  }, { passive: false });
  document.getElementById("zoom-in").addEventListener("click", function () { zoomAt(W / 2, H / 2, 1.5); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomAt(W / 2, H / 2, 1 / 1.5); });
  document.getElementById("fit").addEventListener("click", function () { fit(); schedule(); });
  window.addEventListener("resize", function () { resize(); schedule(); });

  // ------------------------------------------------------------ start, and a small API for tests
  window.migkgGraph = {
    nodeCount: N, edgeCount: E,
    find: function (label) { for (var n = 0; n < N; n++) if (nodes[n].label === label) return n; return -1; },
    clientPosition: function (n) {
      var b = canvas.getBoundingClientRect(); return { x: b.left + sx(n), y: b.top + sy(n) };
    },
    selected: function () { return selected; }
  };
  document.body.dataset.nodeCount = String(N);
  document.body.dataset.edgeCount = String(E);
  document.body.dataset.visibleCount = String(N);
  if (Object.keys(kinds).length === 1 && meta.communities > 1) colourBy.value = "community";
  resize(); fit(); recolour(); updateStatus(); draw();
})();
