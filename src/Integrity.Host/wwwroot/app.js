// The trust-and-safety dashboard: live decisions (SSE), open appeals, open cases, top risk, and an entity page with
// reasons, links, a score chart, the audit trail, analyst actions and an open appeal's outcome; which rules are noisy;
// the candidate policy in shadow against the active one. Plain JS, no dependencies, everything from this host.
"use strict";

(() => {
  const { h, svg, api, ApiError, storage, when, ago, words, stepBadge, scoreBar } = ui;
  const $ = (id) => document.getElementById(id);

  const state = { role: null, riskKind: "seller", entity: null, feedCount: 0, source: null, refreshTimer: null, reconnectTimer: null };

  // ---------- keys ----------

  function askKey({ title, help, analyst } = {}) {
    return new Promise((resolve) => {
      $("key-title").textContent = title || "API key";
      $("key-help").textContent = help || "Enter a viewer or analyst key. It is kept in this tab only (sessionStorage) and sent in the X-Api-Key header.";
      $("key-error").hidden = true;
      $("key-input").value = "";
      $("key-modal").hidden = false;
      $("key-input").focus();
      const done = (value) => {
        $("key-modal").hidden = true;
        $("key-form").onsubmit = null;
        $("key-cancel").onclick = null;
        resolve(value);
      };
      $("key-cancel").onclick = () => done(null);
      $("key-form").onsubmit = async (e) => {
        e.preventDefault();
        const key = $("key-input").value.trim();
        try {
          const me = await api("/v1/me", { key });
          if (analyst && me.role !== "analyst") throw new Error(`This key has role '${me.role}'; actions need an analyst key.`);
          if (!analyst && !me.grants.includes("viewer")) throw new Error(`This key has role '${me.role}'; the dashboard needs a viewer or analyst key.`);
          done({ key, role: me.role });
        } catch (err) {
          $("key-error").textContent = err instanceof ApiError && err.status === 401 ? "This key is not valid." : err.message;
          $("key-error").hidden = false;
        }
      };
    });
  }

  async function ensureKey(force) {
    if (!force && storage.key) {
      try {
        const me = await api("/v1/me");
        if (me.grants.includes("viewer")) return setRole(me.role);
      } catch { /* ask again */ }
    }
    const answer = await askKey();
    if (!answer) return state.role ? true : ensureKey(true);
    storage.key = answer.key;
    if (answer.role === "analyst") storage.analystKey = answer.key;
    return setRole(answer.role);
  }

  function setRole(role) {
    state.role = role;
    const badge = $("key-role");
    badge.textContent = role;
    badge.dataset.role = role;
    badge.hidden = false;
    return true;
  }

  // ---------- live feed ----------

  function setLive(status) {
    const el = $("live-status");
    el.dataset.state = status;
    el.querySelector(".label").textContent = status;
  }

  async function connect() {
    clearTimeout(state.reconnectTimer);
    if (state.source) state.source.close();
    setLive("connecting");
    try {
      const ticket = await api("/v1/decisions/stream/ticket", { method: "POST" });
      const source = new EventSource(ticket.streamUrl);
      state.source = source;
      source.onopen = () => setLive("live");
      source.addEventListener("decision", (e) => onDecision(JSON.parse(e.data), true));
      source.onerror = () => {
        // A ticket only opens the stream: once the browser gives up on it, ask for a new one.
        if (source.readyState === EventSource.CLOSED) {
          setLive("reconnecting");
          state.reconnectTimer = setTimeout(connect, 2000);
        } else {
          setLive("reconnecting");
        }
      };
    } catch (err) {
      setLive("offline");
      state.reconnectTimer = setTimeout(connect, 5000);
    }
  }

  function onDecision(d, live) {
    const feed = $("feed");
    if (feed.querySelector(`[data-entry-id="${CSS.escape(d.entryId)}"]`)) return;
    state.feedCount += live ? 1 : 0;
    $("feed-count").textContent = `${state.feedCount} received live`;
    $("feed-empty").hidden = true;
    const item = feedItem(d, live);
    if (live) feed.prepend(item); else feed.append(item);
    while (feed.children.length > 100) feed.lastElementChild.remove();
    if (live) {
      scheduleRefresh();
      if (state.entity && state.entity.kind === d.entityKind && state.entity.id === d.entityId) loadEntity(d.entityKind, d.entityId, true);
    }
  }

  function feedItem(d, live) {
    const type = recordWord(d.kind, d.origin);
    return h("li", { class: `feed-item${live ? " fresh" : ""}`, "data-entry-id": d.entryId, "data-entity-id": d.entityId, "data-testid": "feed-item" },
      h("div", { class: "feed-line" },
        h("span", { class: `kind-badge kind-${d.entityKind}` }, d.entityKind),
        h("a", { class: "entity-link", href: entityHref(d.entityKind, d.entityId) }, d.entityId),
        h("span", { class: "feed-time", title: `event time ${d.occurredAt}` }, when(d.recordedAt, true))),
      h("div", { class: "feed-line" },
        h("span", { class: `type-tag type-${d.kind}` }, type),
        d.from && d.from !== d.step ? h("span", { class: "from-step" }, words(d.from), " →") : null,
        stepBadge(d.step),
        d.score !== null && d.score !== undefined ? h("span", { class: "feed-score" }, `score ${Number(d.score).toFixed(1)}`) : null),
      d.reasonCodes && d.reasonCodes.length ? h("div", { class: "codes" }, d.reasonCodes.map((c) => h("code", {}, c))) : null,
      d.note ? h("div", { class: "feed-note" }, "“", userText(d.note), "” — ", userText(d.actor || "analyst")) : null);
  }

  // Text an analyst or a platform wrote, isolated from what surrounds it: a right-to-left override (U+202E) or any
  // other bidi control inside a note cannot reorder the attribution or the rest of the line.
  function userText(text) {
    return h("bdi", { class: "user-text" }, text);
  }

  function originWord(origin) {
    return {
      analyst_confirm: "Confirmed", analyst_reverse: "Reversed", analyst_reinstate: "Reinstated", analyst_override: "Override",
      appeal_upheld: "Appeal upheld", appeal_reversed: "Appeal: reversed", appeal_partly: "Appeal: partly",
    }[origin] || "Action";
  }

  function recordWord(kind, origin) {
    return kind === "decision" ? "Policy" : kind === "note" ? "Note" : kind === "appeal" ? "Appeal filed" : originWord(origin);
  }

  // ---------- lists ----------

  function scheduleRefresh() {
    clearTimeout(state.refreshTimer);
    state.refreshTimer = setTimeout(loadLists, 400);
  }

  async function loadLists() {
    try {
      const [appeals, cases, risk] = await Promise.all([
        api("/v1/appeals?limit=12"),
        api("/v1/cases?limit=12"),
        api(`/v1/top-risk?kind=${state.riskKind}&limit=12`),
      ]);
      fillAppeals(appeals.items);
      $("appeals-count").textContent = appeals.items.length ? String(appeals.items.length) + (appeals.continuation ? "+" : "") : "";
      fillRanked($("cases"), cases.items, "openedAt", $("cases-empty"));
      $("cases-count").textContent = cases.items.length ? String(cases.items.length) + (cases.continuation ? "+" : "") : "";
      fillRanked($("risk"), risk.items, "updatedAt", $("risk-empty"));
      await loadWebhooks();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) ensureKey(true).then(start);
    }
  }

  // Endpoints paused (by an analyst or after failing for Webhooks:PauseAfter) stand out, with Resume for analysts.
  async function loadWebhooks() {
    try {
      const list = await api("/v1/webhooks");
      const endpoints = list.endpoints || [];
      $("webhooks").replaceChildren(...endpoints.map((w) => h("tr", { "data-webhook-id": w.id, "data-paused": String(w.paused) },
        h("td", { title: w.url }, h("code", {}, w.id), " ", h("span", { class: "muted" }, w.source)),
        h("td", {}, w.paused
          ? h("span", { class: "step-badge", "data-testid": "webhook-paused", title: w.pauseReason || "" }, `Paused by ${w.pausedBy || "?"}`)
          : h("span", { class: "muted" }, "Active")),
        h("td", {}, String(w.pending)),
        h("td", {}, String(w.failed)),
        h("td", {}, w.paused ? h("button", { class: "btn", type: "button", "data-testid": "webhook-resume", onclick: () => resumeWebhook(w.id) }, "Resume") : ""))));
      $("webhooks-empty").hidden = endpoints.length > 0;
      const paused = endpoints.filter((w) => w.paused).length;
      $("webhooks-count").textContent = paused ? `${paused} paused` : "";
    } catch (err) {
      $("webhooks-empty").hidden = false;
    }
  }

  async function resumeWebhook(id) {
    let key = state.role === "analyst" ? storage.key : storage.analystKey;
    if (!key) {
      const answer = await askKey({ title: "Analyst key", help: "Resuming an endpoint needs an analyst key. It is kept in this tab only (sessionStorage).", analyst: true });
      if (!answer) return;
      storage.analystKey = key = answer.key;
    }
    const analyst = storage.analyst || (window.prompt("Your analyst handle (letters, digits, '.', '_', '-')") || "").trim();
    if (!analyst) return;
    storage.analyst = analyst;
    try {
      await api(`/v1/webhooks/${encodeURIComponent(id)}/resume`, { method: "POST", body: { note: "resumed from the dashboard" }, key, headers: { "X-Analyst": analyst } });
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) storage.analystKey = null;
      window.alert(err.message);
    }
    await loadWebhooks();
  }

  // Appeals come first: the appellant waits on an analyst, and the step they contest stays in force meanwhile.
  function fillAppeals(items) {
    $("appeals").replaceChildren(...items.map((a) => h("tr", { "data-entity-id": a.id, "data-appeal-id": a.appealId, "data-testid": "appeal-row" },
      h("td", {}, h("span", { class: `kind-badge kind-${a.kind}` }, a.kind), " ", h("a", { class: "entity-link", href: entityHref(a.kind, a.id) }, a.id)),
      h("td", {}, a.contestedTo ? stepBadge(a.contestedTo) : h("code", {}, a.decisionId),
        h("div", { class: "codes" }, (a.reasonCodes || []).slice(0, 3).map((c) => h("code", {}, c)))),
      h("td", { class: "statement-cell", title: a.statement }, userText(a.statement),
        a.attachments ? h("span", { class: "muted" }, ` · ${a.attachments} attachment${a.attachments === 1 ? "" : "s"}`) : null),
      h("td", { class: "muted", title: a.filedAt }, ago(a.filedAt)))));
    $("appeals-empty").hidden = items.length > 0;
  }

  function fillRanked(tbody, items, timeField, empty) {
    tbody.replaceChildren(...items.map((e) => h("tr", { "data-entity-id": e.id },
      h("td", {}, h("span", { class: `kind-badge kind-${e.kind}` }, e.kind), " ", h("a", { class: "entity-link", href: entityHref(e.kind, e.id) }, e.id)),
      h("td", {}, stepBadge(e.step)),
      h("td", {}, scoreBar(e.score)),
      h("td", { class: "codes" }, (e.reasonCodes || []).slice(0, 3).map((c) => h("code", {}, c))),
      h("td", { class: "muted", title: e[timeField] || "" }, ago(e[timeField])))));
    empty.hidden = items.length > 0;
  }

  async function loadRecent() {
    try {
      const page = await api("/v1/decisions?limit=30");
      for (const d of page.items) onDecision(d, false);
    } catch { /* the live feed still works */ }
  }

  // ---------- entity page ----------

  function entityHref(kind, id) {
    return `#/${kind}/${encodeURIComponent(id)}`;
  }

  async function loadEntity(kind, id, quiet) {
    state.entity = { kind, id };
    if (!quiet) {
      $("entity-body").hidden = true;
      $("entity-error").hidden = true;
    }
    try {
      const [view, history] = await Promise.all([
        api(`/v1/${kind}s/${encodeURIComponent(id)}`),
        api(`/v1/${kind}s/${encodeURIComponent(id)}/history`),
      ]);
      if (!state.entity || state.entity.kind !== kind || state.entity.id !== id) return;
      renderEntity(view, history);
    } catch (err) {
      $("entity-body").hidden = true;
      $("entity-error").textContent = err.message;
      $("entity-error").hidden = false;
    }
  }

  function renderEntity(v, history) {
    state.entity.view = v;
    $("entity-kind").textContent = v.kind;
    $("entity-kind").className = `kind-badge kind-${v.kind}`;
    $("entity-id").textContent = v.id;
    const step = $("entity-step");
    step.textContent = words(v.step);
    step.className = `step-badge sev-${ui.severity[v.step] ?? 0}`;
    step.dataset.step = v.step;
    $("entity-score").replaceChildren(scoreBar(v.score));
    $("entity-assessed").textContent = when(v.assessedAt);
    $("entity-clock").textContent = when(v.clock);
    $("entity-ladder").replaceChildren(...v.ladder.map((name, i) =>
      h("li", { class: `rung sev-${ui.severity[name] ?? 0}${i === v.level ? " current" : ""}${i < v.level ? " passed" : ""}` }, words(name))));

    const last = $("entity-last-action");
    last.hidden = !v.lastAction;
    if (v.lastAction) last.replaceChildren(userText(v.lastAction.summary), ` · ${when(v.lastAction.at)}`);
    const ov = $("entity-override");
    ov.hidden = !v.override;
    if (v.override) {
      ov.replaceChildren(`Pinned at ${words(v.ladder[v.override.level])} by `, userText(v.override.analyst),
        v.override.until ? ` until ${when(v.override.until)} (ends by itself)` : " until changed",
        ...(v.override.note ? [" — “", userText(v.override.note), "”"] : []));
    }
    const analyst = state.role === "analyst" || !!storage.analystKey;
    $("entity-actions").classList.toggle("needs-key", !analyst);
    renderAppeal(v, analyst);

    // Codes an analyst has ruled on (reversed, reinstated) stop counting until they go quiet and come back.
    const ruled = new Set(((v.state && v.state.enforcement && v.state.enforcement.acknowledged) || []));
    $("entity-reasons").replaceChildren(...v.reasons.map((r) => ({ ...r, acknowledged: r.acknowledged || ruled.has(r.code) })).map((r) => h("tr", { class: r.acknowledged ? "acknowledged" : "" },
      h("td", {}, h("code", {}, r.code), r.acknowledged ? h("div", { class: "muted small" }, "ruled on by an analyst") : null),
      h("td", {}, h("div", {}, r.message),
        r.eventIds && r.eventIds.length ? h("div", { class: "evidence" }, "events: ", r.eventIds.slice(0, 6).join(", "), r.eventIds.length > 6 ? ` +${r.eventIds.length - 6}` : "") : null),
      h("td", { class: "num" }, Number(r.weight).toFixed(2)))));
    $("entity-reasons-empty").hidden = v.reasons.length > 0;

    $("entity-links").replaceChildren(...v.links.map((l) => h("li", {},
      h("span", { class: `kind-badge kind-${l.kind}` }, l.kind), " ",
      h("a", { class: "entity-link", href: entityHref(l.kind, l.id) }, l.id), " ",
      h("span", { class: "muted" }, l.relation),
      l.level !== null && l.level !== undefined ? h("span", { class: "muted" }, ` · level ${l.level}`) : null)));
    $("entity-links-empty").hidden = v.links.length > 0;

    $("entity-chart").replaceChildren(chart(history.scores, v.ladder));
    $("entity-audit").replaceChildren(...history.entries.slice().reverse().map(auditRow));
    $("entity-body").hidden = false;
  }

  // The entity's latest appeal: open (with the outcome buttons) or as it was decided.
  function renderAppeal(v, analyst) {
    const appeals = (v.state && v.state.enforcement && v.state.enforcement.appeals) || [];
    const a = appeals.find((x) => !x.outcome) || appeals[appeals.length - 1];
    const box = $("entity-appeal");
    box.hidden = !a;
    if (!a) return;
    const open = !a.outcome;
    box.dataset.open = String(open);
    box.dataset.appealId = a.appealId;
    $("appeal-id").textContent = a.appealId;
    $("appeal-status").textContent = open ? `filed ${when(a.filedAt)}, awaiting an analyst` : `${a.outcome} by ${a.decidedBy || "an analyst"} · ${when(a.decidedAt)}`;
    $("appeal-contests").replaceChildren("Contests ", h("code", {}, a.decisionId), ": ",
      words(v.ladder[a.fromLevel] || String(a.fromLevel)), " → ", stepBadge(v.ladder[a.toLevel] || String(a.toLevel)),
      " ", h("span", { class: "codes" }, (a.reasonCodes || []).map((c) => h("code", {}, c))));
    $("appeal-statement").replaceChildren(userText(a.statement));
    $("appeal-attachments").replaceChildren(...(a.attachments || []).map((ref) => h("li", {},
      /^https?:\/\//i.test(ref) ? h("a", { href: ref, target: "_blank", rel: "noopener noreferrer" }, ref) : h("code", {}, ref))));
    $("appeal-actions").hidden = !open;
    $("appeal-actions").classList.toggle("needs-key", !analyst);
  }

  function auditRow(e) {
    const d = e.details || {};
    const type = recordWord(e.kind, d.origin);
    const change = e.kind === "note" ? "—"
      : e.kind === "appeal" ? `contests ${words(d.contestedFrom || "")} → ${words(d.contestedTo || "")}`
      : d.from && d.from !== d.to ? `${words(d.from)} → ${words(d.to)}` : words(e.step);
    const why = d.note || d.statement || (d.reasons || []).filter((r) => r.weight > 0).map((r) => r.code).join(", ") || "—";
    return h("tr", { "data-entry-id": e.entryId, "data-kind": e.kind, "data-testid": "audit-row" },
      h("td", { title: `recorded ${e.recordedAt}` }, when(e.occurredAt)),
      h("td", {}, h("span", { class: `type-tag type-${e.kind}` }, type)),
      h("td", {}, change),
      h("td", { class: "num" }, e.score !== null && e.score !== undefined ? Number(e.score).toFixed(1) : "—"),
      h("td", {}, e.actor ? userText(e.actor) : "policy " + (e.policyVersion || "")),
      h("td", { class: "why" }, d.note || d.statement ? userText(why) : why));
  }

  // Score over time: a step line of every audited score, dots coloured by type, drawn as inline SVG.
  function chart(points, ladder) {
    const W = 560, H = 200, L = 36, R = 12, T = 12, B = 28;
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart-svg", role: "img", "aria-label": "Score over time" });
    for (const y of [0, 25, 50, 75, 100]) {
      const py = T + (H - T - B) * (1 - y / 100);
      root.append(svg("line", { x1: L, x2: W - R, y1: py, y2: py, class: "grid" }), svg("text", { x: L - 6, y: py + 4, class: "axis", "text-anchor": "end" }, y));
    }
    if (!points.length) {
      root.append(svg("text", { x: W / 2, y: H / 2, class: "axis", "text-anchor": "middle" }, "No decision yet"));
      return root;
    }
    const times = points.map((p) => new Date(p.at).getTime());
    let t0 = Math.min(...times), t1 = Math.max(...times);
    if (t1 === t0) { t0 -= 3600000; t1 += 3600000; }
    const x = (t) => L + (W - L - R) * ((t - t0) / (t1 - t0));
    const y = (s) => T + (H - T - B) * (1 - Math.max(0, Math.min(100, s)) / 100);
    let path = "";
    points.forEach((p, i) => {
      const px = x(times[i]), py = y(p.score);
      path += i === 0 ? `M${px},${py}` : `H${px}V${py}`;
    });
    path += `H${W - R}`;
    root.append(svg("path", { d: path, class: "line" }));
    points.forEach((p, i) => {
      root.append(svg("circle", { cx: x(times[i]), cy: y(p.score), r: 4.5, class: `pt pt-${p.kind}` },
        svg("title", {}, `${when(p.at)} · ${p.kind} · ${words(p.step)} · score ${p.score}`)));
    });
    root.append(
      svg("text", { x: L, y: H - 8, class: "axis" }, when(new Date(t0).toISOString())),
      svg("text", { x: W - R, y: H - 8, class: "axis", "text-anchor": "end" }, when(new Date(t1).toISOString())));
    return root;
  }

  // ---------- which rules are noisy ----------

  async function loadReasons() {
    const days = Number($("reasons-days").value) || 30;
    const threshold = Number($("reasons-threshold").value) || 0.5;
    const to = new Date();
    const from = new Date(to.getTime() - days * 86400000);
    $("reasons-error").hidden = true;
    try {
      const report = await api(`/v1/reports/reasons?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}&threshold=${threshold}`);
      renderReasons(report);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return ensureKey(true).then(route);
      $("reasons-error").textContent = err.message;
      $("reasons-error").hidden = false;
    }
  }

  function renderReasons(r) {
    const noisy = r.reasons.filter((x) => x.status === "noisy").length;
    $("reasons-summary").textContent = `${r.decisions} decisions labelled (${r.confirmed} confirmed, ${r.reversed} reversed) from ${r.actions} verdicts`
      + (r.unpaired ? `, ${r.unpaired} with no policy decision to rule on` : "")
      + (r.truncated ? "; the range held more verdicts than one report reads" : "")
      + (noisy ? ` · ${noisy} noisy rule${noisy > 1 ? "s" : ""}` : "");
    const pct = (v) => `${(100 * v).toFixed(0)}%`;
    $("reasons-rows").replaceChildren(...r.reasons.map((x) => h("tr", { "data-reason": x.reasonCode, "data-policy": x.policyVersion, "data-status": x.status, "data-testid": "reason-row" },
      h("td", {}, h("code", {}, x.reasonCode)),
      h("td", { class: "muted" }, x.policyVersion),
      h("td", {}, h("span", { class: `status-tag status-${x.status}` }, x.status)),
      h("td", { class: "num", "data-testid": "reason-confirmed" }, String(x.confirmed)),
      h("td", { class: "num", "data-testid": "reason-reversed" }, String(x.reversed)),
      h("td", { class: "num" }, pct(x.precision)),
      h("td", { class: "muted" }, `${pct(x.lower)} – ${pct(x.upper)}`))));
    $("reasons-empty").hidden = r.reasons.length > 0;
    $("reasons-chart").replaceChildren(reasonChart(r.reasons, r.threshold));
  }

  // Precision per reason code and policy version: a bar to the precision, whiskers over the 95% Wilson interval, the
  // threshold as a dashed line. Worst first, as the API orders them.
  function reasonChart(rows, threshold) {
    const W = 760, L = 250, R = 16, T = 8, B = 26, row = 24;
    const H = T + B + Math.max(1, rows.length) * row;
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart-svg", role: "img", "aria-label": "Precision per reason code with 95% intervals" });
    const x = (v) => L + (W - L - R) * Math.max(0, Math.min(1, v));
    for (const v of [0, 0.25, 0.5, 0.75, 1]) {
      root.append(svg("line", { x1: x(v), x2: x(v), y1: T, y2: H - B, class: "grid" }), svg("text", { x: x(v), y: H - 8, class: "axis", "text-anchor": "middle" }, `${v * 100}%`));
    }
    if (!rows.length) {
      root.append(svg("text", { x: (L + W) / 2, y: T + row / 2 + 4, class: "axis", "text-anchor": "middle" }, "No verdict yet"));
      return root;
    }
    rows.forEach((r, i) => {
      const y = T + i * row, mid = y + row / 2;
      const tip = `${r.reasonCode} (${r.policyVersion}): ${r.confirmed} confirmed, ${r.reversed} reversed; precision ${(100 * r.precision).toFixed(1)}%, 95% interval ${(100 * r.lower).toFixed(1)}–${(100 * r.upper).toFixed(1)}% · ${r.status}`;
      const g = svg("g", { "data-reason": r.reasonCode, "data-policy": r.policyVersion, "data-status": r.status, class: "reason-bar" }, svg("title", {}, tip));
      g.append(
        svg("text", { x: L - 8, y: mid + 4, class: "label", "text-anchor": "end" }, `${r.reasonCode} · ${r.policyVersion}`),
        svg("rect", { x: x(0), y: y + 5, width: Math.max(1, x(r.precision) - x(0)), height: row - 10, class: `bar bar-${r.status}` }),
        svg("line", { x1: x(r.lower), x2: x(r.upper), y1: mid, y2: mid, class: "whisker" }),
        svg("line", { x1: x(r.lower), x2: x(r.lower), y1: mid - 5, y2: mid + 5, class: "whisker" }),
        svg("line", { x1: x(r.upper), x2: x(r.upper), y1: mid - 5, y2: mid + 5, class: "whisker" }));
      root.append(g);
    });
    root.append(svg("line", { x1: x(threshold), x2: x(threshold), y1: T, y2: H - B, class: "threshold" }, svg("title", {}, `threshold ${threshold}`)));
    return root;
  }

  // ---------- the candidate policy in shadow ----------

  async function loadPolicy() {
    const days = Number($("policy-days").value) || 30;
    const to = new Date();
    const from = new Date(to.getTime() - days * 86400000);
    $("policy-error").hidden = true;
    try {
      const status = await api("/v1/policy");
      const promoted = status.promotion ? ` · promoted from ${status.promotion.replacedVersion} by ${status.promotion.actor} ${ago(status.promotion.at)}` : "";
      $("policy-status").textContent = `Active: ${status.active}${promoted} · candidate: ${status.candidate || "none"}`;
      $("policy-empty").hidden = !!status.candidate;
      if (!status.candidate) {
        $("policy-totals").hidden = true;
        for (const id of ["policy-kinds", "policy-reasons", "policy-examples-candidate", "policy-examples-active", "policy-examples-both"]) $(id).replaceChildren();
        return;
      }
      const report = await api(`/v1/policy/compare?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`);
      renderPolicy(report);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return ensureKey(true).then(route);
      $("policy-error").textContent = err.message;
      $("policy-error").hidden = false;
    }
  }

  function renderPolicy(r) {
    $("policy-totals").hidden = false;
    $("policy-both").textContent = String(r.both);
    $("policy-only-candidate").textContent = String(r.onlyCandidate);
    $("policy-only-active").textContent = String(r.onlyActive);
    $("policy-status").textContent += ` · ${r.active} decisions of ${r.activeVersion}, ${r.candidate} of ${r.candidateVersion}` + (r.truncated ? " (the range held more than one comparison reads)" : "");
    const rows = (list, testid, label) => list.map((x) => h("tr", { "data-key": x.key, "data-testid": testid },
      h("td", {}, label(x.key)),
      ...[x.active, x.candidate, x.both, x.onlyActive, x.onlyCandidate].map((n) => h("td", { class: "num" }, String(n))),
      h("td", { class: `num ${x.difference > 0 ? "diff-up" : x.difference < 0 ? "diff-down" : ""}` }, x.difference > 0 ? `+${x.difference}` : String(x.difference))));
    $("policy-kinds").replaceChildren(...rows(r.byEntityKind, "policy-kind-row", (k) => k));
    $("policy-reasons").replaceChildren(...rows(r.byReason, "policy-reason-row", (k) => h("code", {}, k)));
    const examples = (list) => list.map((e) => h("li", { "data-entity-id": e.entityId, "data-testid": "policy-example" },
      h("a", { class: "entity-link", href: entityHref(e.entityKind, e.entityId) }, `${e.entityKind} ${e.entityId}`), " → ", stepBadge(e.step),
      " ", h("span", { class: "muted small" }, `${e.reasonCodes.join(", ")} · ${when(e.at)}`)));
    $("policy-examples-candidate").replaceChildren(...examples(r.examples.onlyCandidate));
    $("policy-examples-active").replaceChildren(...examples(r.examples.onlyActive));
    $("policy-examples-both").replaceChildren(...examples(r.examples.both));
  }

  // ---------- actions ----------

  async function act(verb, appeal) {
    const v = state.entity && state.entity.view;
    if (!v) return;
    let key = state.role === "analyst" ? storage.key : storage.analystKey;
    if (!key) {
      const answer = await askKey({ title: "Analyst key", help: "Actions need an analyst key. It is kept in this tab only (sessionStorage).", analyst: true });
      if (!answer) return;
      storage.analystKey = key = answer.key;
    }
    const form = $("action-form");
    $("action-title").textContent = appeal
      ? `Appeal ${appeal}: ${{ upheld: "uphold the step", reversed: "reverse the step", partly: "partly: step down" }[verb]}`
      : `${verb[0].toUpperCase()}${verb.slice(1)} ${v.kind} ${v.id}`;
    $("action-analyst").value = storage.analyst;
    $("action-note").value = "";
    $("action-note").required = verb !== "confirm";
    const levels = appeal ? verb === "partly" : verb === "override";
    $("action-level-row").hidden = !levels;
    $("action-until-row").hidden = verb !== "override";
    // A partial outcome is a step down: only the levels below the current one.
    const choices = v.ladder.map((name, i) => ({ name, i })).filter((c) => !appeal || c.i < v.level);
    const chosen = appeal ? v.level - 1 : v.level;
    $("action-level").replaceChildren(...choices.map((c) => h("option", { value: c.i, selected: c.i === chosen }, `${c.i} · ${words(c.name)}`)));
    $("action-until").value = "";
    $("action-error").hidden = true;
    $("action-modal").hidden = false;
    (storage.analyst ? $("action-note") : $("action-analyst")).focus();
    $("action-cancel").onclick = () => { $("action-modal").hidden = true; };
    form.onsubmit = async (e) => {
      e.preventDefault();
      const actionId = crypto.randomUUID().replaceAll("-", "");
      const body = appeal ? { outcome: verb, note: $("action-note").value.trim() || null, actionId } : { action: verb, note: $("action-note").value.trim() || null, actionId };
      if (appeal && verb === "partly") body.level = Number($("action-level").value);
      if (verb === "override") {
        body.level = Number($("action-level").value);
        const minutes = Number($("action-until").value);
        if (minutes > 0) body.until = new Date(Date.now() + minutes * 60000).toISOString();
      }
      storage.analyst = $("action-analyst").value.trim();
      $("action-submit").disabled = true;
      try {
        const path = appeal
          ? `/v1/${v.kind}s/${encodeURIComponent(v.id)}/appeals/${encodeURIComponent(appeal)}/outcome`
          : `/v1/${v.kind}s/${encodeURIComponent(v.id)}/actions`;
        await api(path, { method: "POST", body, key, headers: { "X-Analyst": storage.analyst } });
        $("action-modal").hidden = true;
        await loadEntity(v.kind, v.id, true);
        scheduleRefresh();
      } catch (err) {
        if (err instanceof ApiError && (err.status === 401 || err.status === 403)) storage.analystKey = null;
        $("action-error").textContent = err.message;
        $("action-error").hidden = false;
      } finally {
        $("action-submit").disabled = false;
      }
    };
  }

  // ---------- Orleans Dashboard ----------

  // The Orleans Dashboard's own requests cannot carry the key, so an analyst key opens a session cookie for it first.
  async function openOrleansDashboard(e) {
    e.preventDefault();
    let key = state.role === "analyst" ? storage.key : storage.analystKey;
    if (!key) {
      const answer = await askKey({ title: "Analyst key", help: "The Orleans Dashboard (the cluster's silos, grains and calls) needs an analyst key. It is kept in this tab only (sessionStorage).", analyst: true });
      if (!answer) return;
      storage.analystKey = key = answer.key;
    }
    try {
      const session = await api("/v1/orleans-dashboard/session", { method: "POST", key });
      location.assign(session.url);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) storage.analystKey = null;
      alert(`The Orleans Dashboard could not be opened: ${err.message}`);
    }
  }

  // ---------- routing ----------

  function route() {
    const reasons = location.hash === "#/reports/reasons";
    const policy = location.hash === "#/reports/policy";
    const match = location.hash.match(/^#\/(seller|listing|reviewer)\/(.+)$/);
    $("overview").hidden = !!match || reasons || policy;
    $("entity").hidden = !match;
    $("reasons").hidden = !reasons;
    $("policy").hidden = !policy;
    if (reasons) {
      state.entity = null;
      loadReasons();
    } else if (policy) {
      state.entity = null;
      loadPolicy();
    } else if (match) {
      loadEntity(match[1], decodeURIComponent(match[2]));
    } else {
      state.entity = null;
      loadLists();
    }
    window.scrollTo(0, 0);
  }

  async function start() {
    await ensureKey(false);
    route();
    loadRecent();
    connect();
  }

  document.addEventListener("DOMContentLoaded", () => {
    window.addEventListener("hashchange", route);
    $("change-key").addEventListener("click", async () => { storage.analystKey = null; await ensureKey(true); route(); connect(); });
    $("risk-tabs").addEventListener("click", (e) => {
      const kind = e.target.dataset.kind;
      if (!kind) return;
      state.riskKind = kind;
      for (const b of $("risk-tabs").children) b.setAttribute("aria-selected", String(b.dataset.kind === kind));
      loadLists();
    });
    $("lookup").addEventListener("submit", (e) => {
      e.preventDefault();
      location.hash = entityHref($("lookup-kind").value, $("lookup-id").value.trim());
    });
    $("entity-actions").addEventListener("click", (e) => { if (e.target.dataset.action) act(e.target.dataset.action); });
    $("appeal-actions").addEventListener("click", (e) => { if (e.target.dataset.outcome) act(e.target.dataset.outcome, $("entity-appeal").dataset.appealId); });
    $("orleans-dashboard-link").addEventListener("click", openOrleansDashboard);
    $("reasons-form").addEventListener("submit", (e) => { e.preventDefault(); loadReasons(); });
    $("policy-form").addEventListener("submit", (e) => { e.preventDefault(); loadPolicy(); });
    setInterval(() => { if (!state.entity && $("reasons").hidden && $("policy").hidden) loadLists(); }, 30000);
    start();
  });
})();
