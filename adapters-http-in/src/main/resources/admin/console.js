// The operator console: plain DOM, no build step. Reads the admin API of the listener that serves it.
"use strict";

const api = (path, options = {}) =>
  fetch("/admin/api/" + path, {
    credentials: "same-origin",
    ...options,
    headers: { Accept: "application/json", ...(options.body ? { "Content-Type": "application/json" } : {}) },
  }).then(async (response) => {
    const body = await response.json().catch(() => ({}));
    if (!response.ok && response.status !== 503) {
      throw new Error(body.error || body.message || "HTTP " + response.status);
    }
    return body;
  });

const $ = (selector) => document.querySelector(selector);
const STATES = {
  delivering: "delivering", idle: "idle", backing_off: "backing off",
  awaiting_authentication: "awaiting login", paused: "paused",
};

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text == null || text === "" ? "—" : String(text);
  if (className) td.className = className;
  return td;
}

function age(seconds) {
  if (seconds == null) return null;
  if (seconds < 90) return seconds + " s";
  if (seconds < 5400) return Math.round(seconds / 60) + " min";
  if (seconds < 172800) return Math.round(seconds / 3600) + " h";
  return Math.round(seconds / 86400) + " d";
}

function ms(value) {
  if (value == null) return "—";
  return value < 1000 ? value + " ms" : value < 120000 ? value / 1000 + " s" : Math.round(value / 60000) + " min";
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : null;
}

function say(message, bad) {
  const status = $("#status");
  status.textContent = message;
  status.classList.toggle("bad", !!bad);
}

function renderDestinations(destinations) {
  const body = $("#destinations tbody");
  body.replaceChildren();
  const select = $("#filter-destination");
  const chosen = select.value;
  select.replaceChildren(new Option("All", ""));
  for (const d of destinations) {
    select.add(new Option(d.name, d.name, false, d.name === chosen));
    const row = body.insertRow();
    row.dataset.destination = d.name;
    row.classList.toggle("stuck", d.stuck);
    const name = row.insertCell();
    name.innerHTML = "";
    const strong = document.createElement("strong");
    strong.textContent = d.name;
    name.append(strong, document.createElement("br"));
    const type = document.createElement("small");
    type.textContent = d.type;
    name.append(type);
    const state = row.insertCell();
    state.className = "state";
    const badge = document.createElement("span");
    badge.className = "badge " + d.state;
    badge.textContent = STATES[d.state] || d.state;
    state.append(badge);
    if (d.stuck) {
      const stuck = document.createElement("span");
      stuck.className = "badge stuck";
      stuck.textContent = "stuck";
      state.append(" ", stuck);
    }
    if (d.waiting_until) state.append(document.createElement("br"), "until " + new Date(d.waiting_until).toLocaleTimeString());
    if (d.paused_by) state.append(document.createElement("br"), "by " + d.paused_by);
    cell(row, d.queue_depth.toLocaleString(), "num queued");
    cell(row, age(d.oldest_change_age_seconds), "num");
    cell(row, d.delivered_per_minute, "num");
    cell(row, d.latency ? [d.latency.p50_ms, d.latency.p95_ms, d.latency.p99_ms].map(ms).join(" / ") : null, "num");
    cell(row, d.dead_letters.toLocaleString(), "num dead");
    const error = cell(row, d.last_error, "error");
    if (d.last_error_at) error.title = "at " + when(d.last_error_at);
    const action = row.insertCell();
    const button = document.createElement("button");
    button.type = "button";
    const paused = d.state === "paused";
    button.textContent = paused ? "Resume" : "Pause";
    button.setAttribute("aria-label", (paused ? "Resume " : "Pause ") + d.name);
    button.addEventListener("click", () => pauseOrResume(d.name, paused));
    action.append(button);
  }
  renderCharts(destinations);
}

function sparkline(points, label, className, unit) {
  const values = points.map((p) => (p == null ? null : p));
  const known = values.filter((v) => v != null);
  const max = Math.max(1, ...known);
  const figure = document.createElement("figure");
  figure.className = className;
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 " + (values.length - 1 || 1) + " 100");
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("role", "img");
  const last = known.length ? known[known.length - 1] : null;
  svg.setAttribute("aria-label", label + ", last hour; latest " + (last == null ? "none" : last + unit) + ", highest " + (known.length ? max + unit : "none"));
  const line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
  line.setAttribute("points", values.map((v, i) => i + "," + (v == null ? 100 : 100 - (v / max) * 95)).join(" "));
  svg.append(line);
  const caption = document.createElement("figcaption");
  const name = document.createElement("span");
  name.textContent = label;
  const latest = document.createElement("span");
  latest.textContent = last == null ? "—" : last.toLocaleString() + unit;
  caption.append(name, latest);
  figure.append(svg, caption);
  return figure;
}

function renderCharts(destinations) {
  const charts = $("#charts");
  charts.replaceChildren();
  for (const d of destinations) {
    const box = document.createElement("article");
    box.className = "chart";
    const title = document.createElement("h3");
    title.textContent = d.name;
    box.append(title,
      sparkline(d.history.map((p) => p.queue_depth), "Queue depth", "depth", ""),
      sparkline(d.history.map((p) => p.delivered), "Delivered per minute", "rate", ""),
      sparkline(d.history.map((p) => p.latency_p95_ms), "Latency p95", "latency", " ms"));
    charts.append(box);
  }
}

function filter() {
  const query = {};
  for (const key of ["destination", "segment", "reason"]) {
    const value = $("#filter-" + key).value.trim();
    if (value) query[key] = value;
  }
  return query;
}

async function loadDeadLetters() {
  const params = new URLSearchParams({ ...filter(), limit: "100" });
  const page = await api("dead_letters?" + params);
  const body = $("#dead-letters tbody");
  body.replaceChildren();
  $("#dead-summary").textContent =
    page.total === 0 ? "No dead letter matches." : page.total.toLocaleString() + " dead letter(s) match" + (page.total > page.dead_letters.length ? "; the newest " + page.dead_letters.length + " are shown." : ".");
  $("#requeue").disabled = $("#discard").disabled = page.total === 0;
  $("#requeue").dataset.count = $("#discard").dataset.count = page.total;
  for (const letter of page.dead_letters) {
    const row = body.insertRow();
    cell(row, letter.destination);
    cell(row, letter.unreadable ? "unreadable" : letter.feed_id + " / " + letter.segment_id);
    cell(row, letter.operation);
    cell(row, letter.reason, "error");
    cell(row, letter.attempts, "num");
    cell(row, when(letter.dead_at));
  }
}

async function loadGrants() {
  const { grants } = await api("grants");
  const body = $("#grants tbody");
  body.replaceChildren();
  if (grants.length === 0) {
    const row = body.insertRow();
    const td = cell(row, "No partner grant is kept.", "empty");
    td.colSpan = 5;
  }
  for (const grant of grants) {
    const row = body.insertRow();
    cell(row, grant.destination);
    cell(row, grant.subject);
    cell(row, when(grant.access_expires_at));
    cell(row, when(grant.refresh_expires_at));
    cell(row, grant.problem, "error");
  }
}

async function refresh() {
  try {
    const { destinations } = await api("destinations");
    renderDestinations(destinations);
    await Promise.all([loadDeadLetters(), loadGrants()]);
    $("#refreshed").textContent = "Updated " + new Date().toLocaleTimeString();
  } catch (error) {
    say("Could not read the relay: " + error.message, true);
  }
}

function confirmAction(text) {
  const dialog = $("#confirm");
  $("#confirm-text").textContent = text;
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "yes"), { once: true });
    dialog.showModal();
  });
}

async function bulk(action) {
  const count = Number($("#" + action).dataset.count || 0);
  const scope = Object.entries(filter()).map(([k, v]) => k + " " + v).join(", ") || "every destination";
  const verb = action === "requeue" ? "Requeue" : "Discard";
  const consequence = action === "requeue"
    ? " They go back in the queue, behind what is queued now."
    : " They are deleted for good.";
  if (!(await confirmAction(verb + " " + count.toLocaleString() + " dead letter(s) (" + scope + ")?" + consequence))) return;
  try {
    const result = await api("dead_letters/" + action, { method: "POST", body: JSON.stringify(filter()) });
    say(result.message, result.status !== "ok");
  } catch (error) {
    say(verb + " failed: " + error.message, true);
  }
  refresh();
}

async function pauseOrResume(name, paused) {
  const verb = paused ? "resume" : "pause";
  if (!paused && !(await confirmAction("Pause " + name + "? Updates keep being accepted and queued; nothing is delivered until you resume it."))) return;
  try {
    const result = await api("destinations/" + encodeURIComponent(name) + "/" + verb, { method: "POST", body: "{}" });
    say(result.message);
  } catch (error) {
    say("Could not " + verb + " " + name + ": " + error.message, true);
  }
  refresh();
}

let timer = null;
function schedule() {
  clearInterval(timer);
  if ($("#auto-refresh").checked) timer = setInterval(refresh, 5000);
}

document.addEventListener("DOMContentLoaded", () => {
  $("#refresh").addEventListener("click", refresh);
  $("#auto-refresh").addEventListener("change", schedule);
  $("#dead-filter").addEventListener("submit", (event) => {
    event.preventDefault();
    loadDeadLetters().catch((error) => say(error.message, true));
  });
  $("#requeue").addEventListener("click", () => bulk("requeue"));
  $("#discard").addEventListener("click", () => bulk("discard"));
  refresh();
  schedule();
});
