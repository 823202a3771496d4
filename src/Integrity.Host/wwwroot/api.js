// Renders the host's own OpenAPI document as a list of operations that can be tried with a key.
"use strict";

(() => {
  const { h, storage } = ui;
  const $ = (id) => document.getElementById(id);

  const examples = {
    "application/json": { action: "reinstate", note: "Refunds were a carrier failure, not brushing", actionId: "example-1" },
    "application/x-ndjson": '{"type":"seller.registered","schemaVersion":1,"eventId":"evt-1","occurredAt":"2026-11-23T10:00:00Z","sellerId":"S-100","identifiers":{}}',
  };

  function operation(path, method, op) {
    const params = (op.parameters || []).filter((p) => p.in === "path" || p.in === "query");
    const inputs = new Map();
    const bodyType = op.requestBody ? Object.keys(op.requestBody.content || {})[0] || "application/json" : null;
    const body = bodyType ? h("textarea", { spellcheck: "false" }) : null;
    if (body) {
      const example = examples[bodyType];
      body.value = typeof example === "string" ? example : JSON.stringify(example, null, 2);
    }
    const output = h("pre", { class: "response", hidden: true });
    const send = h("button", { class: "btn btn-primary", type: "button" }, "Send");
    send.addEventListener("click", async () => {
      let url = path;
      const query = new URLSearchParams();
      for (const p of params) {
        const value = inputs.get(p.name).value.trim();
        if (p.in === "path") url = url.replace(`{${p.name}}`, encodeURIComponent(value));
        else if (value) query.set(p.name, value);
      }
      if ([...query].length) url += `?${query}`;
      if (url.endsWith("/stream")) {
        output.hidden = false;
        output.textContent = "The live feed is a never-ending stream: open it from the dashboard, or with curl -N.";
        return;
      }
      const headers = { Accept: "application/json" };
      if (storage.key) headers["X-Api-Key"] = storage.key;
      if (storage.analyst) headers["X-Analyst"] = storage.analyst;
      if (body) headers["Content-Type"] = bodyType;
      const started = performance.now();
      try {
        const response = await fetch(url, { method: method.toUpperCase(), headers, body: body ? body.value : undefined });
        const text = await response.text();
        let shown = text;
        try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch { /* not JSON */ }
        output.textContent = `${response.status} ${response.statusText} · ${Math.round(performance.now() - started)} ms\n\n${shown}`;
      } catch (err) {
        output.textContent = String(err);
      }
      output.hidden = false;
    });

    const role = op["x-integrity-role"] || "public";
    return h("details", { class: "op" },
      h("summary", {},
        h("span", { class: `method method-${method}` }, method.toUpperCase()),
        h("span", { class: "op-path" }, path),
        h("span", { class: "op-role" }, `role: ${role}`)),
      h("div", { class: "op-body" },
        h("div", { class: "op-summary" }, op.summary || op.operationId || ""),
        params.map((p) => {
          const input = h("input", { placeholder: p.required ? "required" : "optional" });
          inputs.set(p.name, input);
          return h("label", { class: "param" }, h("code", {}, `${p.name} (${p.in})`), input);
        }),
        body,
        h("div", {}, send),
        output));
  }

  async function load() {
    $("api-key").value = storage.key || "";
    $("api-analyst").value = storage.analyst;
    $("api-key-save").addEventListener("click", () => {
      storage.key = $("api-key").value.trim() || null;
      storage.analyst = $("api-analyst").value.trim();
    });
    const doc = await (await fetch("openapi/v1.json")).json();
    $("api-title").textContent = `${doc.info.title} ${doc.info.version}`;
    $("api-description").textContent = doc.info.description || "";
    const byTag = new Map();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const tag = (op.tags && op.tags[0]) || "Other";
        if (!byTag.has(tag)) byTag.set(tag, []);
        byTag.get(tag).push(operation(path, method, op));
      }
    }
    $("api-ops").replaceChildren(...[...byTag].map(([tag, items]) => h("section", { class: "panel" }, h("h2", {}, tag), items)));
  }

  document.addEventListener("DOMContentLoaded", load);
})();
