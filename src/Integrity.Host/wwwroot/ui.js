// Small helpers shared by the dashboard and the API page: DOM building (text only, never HTML from data),
// keys kept in sessionStorage, and calls to the API with the key in the X-Api-Key header.
"use strict";

const ui = (() => {
  const KEY = "integrity.key";
  const ANALYST_KEY = "integrity.analystKey";
  const ANALYST_NAME = "integrity.analyst";

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") el.className = value;
      else if (name === "text") el.textContent = value;
      else if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
      else el.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  function svg(tag, attrs, ...children) {
    const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined) el.setAttribute(name, String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  const storage = {
    get key() { return sessionStorage.getItem(KEY); },
    set key(v) { v ? sessionStorage.setItem(KEY, v) : sessionStorage.removeItem(KEY); },
    get analystKey() { return sessionStorage.getItem(ANALYST_KEY); },
    set analystKey(v) { v ? sessionStorage.setItem(ANALYST_KEY, v) : sessionStorage.removeItem(ANALYST_KEY); },
    get analyst() { return sessionStorage.getItem(ANALYST_NAME) || ""; },
    set analyst(v) { sessionStorage.setItem(ANALYST_NAME, v); },
  };

  class ApiError extends Error {
    constructor(status, problem) {
      super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
      this.status = status;
      this.problem = problem;
    }
  }

  async function api(path, { method = "GET", body, key = storage.key, headers = {} } = {}) {
    const init = { method, headers: { Accept: "application/json", ...headers } };
    if (key) init.headers["X-Api-Key"] = key;
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = typeof body === "string" ? body : JSON.stringify(body);
    }
    const response = await fetch(path, init);
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    if (!response.ok) throw new ApiError(response.status, json);
    return json;
  }

  const time = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  const dateTime = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit" });

  function when(iso, short) {
    if (!iso) return "—";
    const d = new Date(iso);
    return short && Date.now() - d.getTime() < 86400000 ? time.format(d) : dateTime.format(d);
  }

  function ago(iso) {
    if (!iso) return "—";
    const s = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
    if (s < 60) return `${Math.round(s)} s ago`;
    if (s < 3600) return `${Math.round(s / 60)} min ago`;
    if (s < 86400) return `${Math.round(s / 3600)} h ago`;
    return `${Math.round(s / 86400)} d ago`;
  }

  // Severity 0..4 from a step name, the same for the three ladders.
  const severity = {
    None: 0, Warning: 1, Flagged: 1, DownWeighted: 1, NewListingsBlocked: 2, Suppressed: 2, ReviewsHidden: 2,
    PayoutsHeld: 3, Removed: 4, Restricted: 4, Suspended: 4, Closed: 4,
  };

  function words(step) {
    return (step || "").replace(/([a-z])([A-Z])/g, "$1 $2");
  }

  function stepBadge(step) {
    return h("span", { class: `step-badge sev-${severity[step] ?? 0}`, "data-step": step || "" }, words(step) || "—");
  }

  function scoreBar(score) {
    const s = Math.max(0, Math.min(100, Number(score) || 0));
    const meter = h("meter", { class: "score-meter", min: 0, max: 100, low: 40, high: 70, optimum: 0, value: s });
    return h("span", { class: "score" }, meter, h("span", { class: "score-num" }, s.toFixed(1)));
  }

  return { h, svg, api, ApiError, storage, when, ago, severity, words, stepBadge, scoreBar };
})();
