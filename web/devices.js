// The handhelds tab: every device with its rep, last hello and backlog,
// online only while a connection is open; an admin enrols one (its
// credential shown once, as text and as the QR code the gateway draws) or
// revokes one with a reason; and a device's own page (#device=ID) with its
// records per day, backlog, fixes' accuracy, clock skew and last uploads.
// The gateway's side is gateway/device_routes.h. app.js calls
// loadDevices() when the tab is shown and when the language changes.
"use strict";

const devicesView = { page: null };

function deviceState(d) {
  if (d.revoked_at_ms !== null) return "revoked";
  return d.state;
}

async function loadDevices() {
  $("handheld-error").textContent = "";
  $("handheld-enrol").hidden = state.role !== "admin";
  const wanted = /^#device=(.+)$/.exec(location.hash);
  devicesView.page = wanted ? decodeURIComponent(wanted[1]) : null;
  $("handheld-list-card").hidden = devicesView.page !== null;
  $("handheld-page").hidden = devicesView.page === null;
  const newest = newestLoad("devices");  // web/app.js
  try {
    const answer = devicesView.page === null ? await api("/api/devices")
      : await api("/api/devices/" + encodeURIComponent(devicesView.page) + "?tz=" + String(-new Date().getTimezoneOffset()));
    if (!newest()) return;
    if (devicesView.page !== null) renderDevicePage(answer);
    else renderDeviceList(answer);
  } catch (e) {
    if (newest()) $("handheld-error").textContent = problem(e);
  }
}

function renderDeviceList(answer) {
  const body = $("handheld-list").tBodies[0];
  body.replaceChildren();
  for (const d of answer.devices) {
    const row = el("tr");
    row.dataset.device = d.device;
    const link = el("a", d.device);
    link.href = "#device=" + encodeURIComponent(d.device);
    const shown = deviceState(d);
    const stateCell = el("td", t("handheld.state." + shown), "state " + shown);
    stateCell.dataset.state = shown;
    const name = el("td");
    name.append(link);
    row.append(name, el("td", d.rep), stateCell,
               el("td", d.last_seen_ms === null ? t("handheld.never") : ago(d.last_seen_ms)),
               el("td", d.outbox === null ? "–" : number(d.outbox), "num"),
               el("td", d.agent_version || "–"),
               el("td", d.enrolled_at_ms === null ? t("handheld.not_enrolled") : dateTime(d.enrolled_at_ms)));
    const action = el("td");
    if (state.role === "admin" && d.enrolled_at_ms !== null && d.revoked_at_ms === null) action.append(revokeControl(d));
    row.append(action);
    body.append(row);
  }
  if (!answer.devices.length) body.append(note(t("handheld.none"), 8));
}

function revokeControl(d) {
  const box = el("span", null, "revoke");
  const open = el("button", t("handheld.revoke"), "reject");
  open.type = "button";
  open.addEventListener("click", () => {
    const reason = el("input");
    reason.name = "reason";
    reason.placeholder = t("handheld.revoke.reason");
    const confirm = el("button", t("handheld.revoke.confirm"), "reject");
    confirm.type = "button";
    const error = el("span", "", "error");
    confirm.addEventListener("click", async () => {
      if (!reason.value.trim()) { error.textContent = t("handheld.revoke.say_why"); reason.focus(); return; }
      try {
        await api("/api/devices/" + encodeURIComponent(d.device) + "/revoke", { body: { reason: reason.value.trim() } });
        loadDevices();
      } catch (e) {
        error.textContent = e.status === 409 ? t("handheld.error.revoked") : problem(e);
      }
    });
    box.replaceChildren(reason, confirm, error);
    reason.focus();
  });
  box.append(open);
  return box;
}

// The page's content policy admits no data: images, so the gateway's SVG
// is drawn again here from its view box and path alone: nothing else in
// it reaches the page.
function qrDrawing(svgText, label) {
  const parsed = new DOMParser().parseFromString(svgText, "image/svg+xml");
  const source = parsed.querySelector("svg");
  const path = parsed.querySelector("path");
  const svg = drawingNode("svg", { viewBox: source.getAttribute("viewBox"), "shape-rendering": "crispEdges", role: "img" });
  svg.setAttribute("aria-label", label);
  const [, , w, h] = source.getAttribute("viewBox").split(" ");
  svg.append(drawingNode("rect", { width: w, height: h, fill: "#fff" }), drawingNode("path", { d: path.getAttribute("d"), fill: "#000" }));
  return svg;
}

// The gateway says in English which value was wrong; the operator reads it
// in the page's language (English with the gateway's words after it).
function enrolProblem(e) {
  const known = e.status === 400 && /master data/.test(e.message) ? "handheld.error.rep"
              : e.status === 400 && /device id/.test(e.message) ? "handheld.error.device" : null;
  if (!known) return problem(e);
  return state.language === "en" ? t(known) + ": " + e.message : t(known);
}

$("handheld-enrol").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target.elements;
  const shown = $("handheld-credential");
  shown.hidden = true;
  $("handheld-enrol-error").textContent = "";
  let enrolled;
  try {
    enrolled = await api("/api/devices", { body: { device: form.device.value.trim(), rep: form.rep.value.trim() } });
  } catch (e) {
    $("handheld-enrol-error").textContent = enrolProblem(e);
    return;
  }
  $("handheld-qr").replaceChildren(qrDrawing(enrolled.qr_svg, t("handheld.qr.alt", { device: enrolled.device })));
  $("handheld-credential-for").textContent = t("handheld.credential.for", { device: enrolled.device, rep: enrolled.rep });
  $("handheld-credential-text").textContent = enrolled.credential;
  $("handheld-credential-uri").textContent = enrolled.uri;
  // The URI percent-encodes every quote, so single quotes hold it whole in a shell.
  $("handheld-credential-command").textContent = "fieldflow-agent init --enrolment '" + enrolled.uri + "'";
  shown.hidden = false;
  form.device.value = "";
  loadDevices();
});

// The credential lives on the page only until the operator closes it.
$("handheld-credential-close").addEventListener("click", () => {
  $("handheld-credential").hidden = true;
  for (const id of ["handheld-credential-text", "handheld-credential-uri", "handheld-credential-command"]) $(id).textContent = "";
  $("handheld-qr").replaceChildren();
});

window.addEventListener("hashchange", () => {
  if (/^#device=/.test(location.hash) || devicesView.page !== null) {
    if (state.view !== "devices-view") show("devices-view");
    loadDevices();
  }
});

// --- a device's page ---------------------------------------------------------

// Records per day over the days up to the latest, accepted and flagged
// stacked: a day without records is a gap. SVG nodes come from
// drawingNode (web/checkin_drawing.js).
function dayChart(days, daysShown) {
  const width = 640, height = 160, left = 36, bottom = 22;
  const svg = drawingNode("svg", { viewBox: "0 0 " + width + " " + height, class: "day-chart", role: "img" });
  svg.setAttribute("aria-label", t("handheld.page.days"));
  const byDay = new Map(days.map((d) => [d.day, d]));
  // The days up to the device's latest record, as the gateway counted them.
  const last = days.length ? Date.parse(days[days.length - 1].day + "T00:00:00Z") : Date.now();
  const labels = [];
  for (let i = daysShown - 1; i >= 0; --i) labels.push(new Date(last - i * 86400000).toISOString().slice(0, 10));
  const most = Math.max(1, ...days.map((d) => d.accepted + d.flagged));
  const slot = (width - left) / labels.length;
  const scale = (height - bottom - 8) / most;
  svg.append(drawingNode("line", { x1: left, y1: height - bottom, x2: width, y2: height - bottom, stroke: "#c5cad3" }));
  svg.append(drawingNode("text", { x: left - 4, y: 12, "text-anchor": "end", class: "axis" }, number(most)));
  svg.append(drawingNode("text", { x: left - 4, y: height - bottom, "text-anchor": "end", class: "axis" }, "0"));
  labels.forEach((label, i) => {
    const d = byDay.get(label);
    const x = left + i * slot + 1;
    if (d) {
      const accepted = d.accepted * scale, flagged = d.flagged * scale;
      const a = drawingNode("rect", { x, y: height - bottom - accepted, width: slot - 2, height: accepted, fill: colours.accepted });
      const f = drawingNode("rect", { x, y: height - bottom - accepted - flagged, width: slot - 2, height: flagged, fill: colours.flagged });
      const title = drawingNode("title", {}, label + " · " + t("handheld.page.day_title", { accepted: number(d.accepted), flagged: number(d.flagged) }));
      if (d.accepted) { a.append(title.cloneNode(true)); svg.append(a); }
      if (d.flagged) { f.append(title); svg.append(f); }
    }
    if ((labels.length - 1 - i) % 7 === 0)
      svg.append(drawingNode("text", { x: x + slot / 2, y: height - 6, "text-anchor": "middle", class: "axis" }, label.slice(5)));
  });
  return svg;
}

// The outbox depth each hello reported, as steps: the depth holds until the
// next hello says otherwise. Time runs left to right over the samples' own
// span, so a device heard from only this morning fills the width too.
function backlogChart(samples) {
  const width = 1000, height = 150, left = 36, bottom = 22, right = 80;
  const svg = drawingNode("svg", { viewBox: "0 0 " + width + " " + height, class: "day-chart backlog-chart", role: "img" });
  svg.setAttribute("aria-label", t("handheld.page.backlog"));
  const first = samples[0].at_ms, last = samples[samples.length - 1].at_ms;
  const span = Math.max(1, last - first);
  const most = Math.max(1, ...samples.map((s) => s.outbox));
  const x = (at) => left + (samples.length === 1 ? (width - left - right) / 2 : ((at - first) / span) * (width - left - right));
  const y = (depth) => height - bottom - (depth / most) * (height - bottom - 8);
  svg.append(drawingNode("line", { x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, stroke: "#c5cad3" }));
  svg.append(drawingNode("text", { x: left - 4, y: 12, "text-anchor": "end", class: "axis" }, number(most)));
  svg.append(drawingNode("text", { x: left - 4, y: height - bottom, "text-anchor": "end", class: "axis" }, "0"));
  let path = "";
  samples.forEach((s, i) => {
    path += (i ? " H" + x(s.at_ms).toFixed(1) + " V" : "M" + x(s.at_ms).toFixed(1) + " ") + y(s.outbox).toFixed(1);
  });
  svg.append(drawingNode("path", { d: path, fill: "none", stroke: colours.flagged, "stroke-width": 2 }));
  for (const s of samples) {
    const dot = drawingNode("circle", { cx: x(s.at_ms), cy: y(s.outbox), r: 3, fill: colours.flagged, class: "backlog-sample" });
    dot.append(drawingNode("title", {}, t("handheld.page.backlog_title", { time: dateTime(s.at_ms), n: number(s.outbox) })));
    svg.append(dot);
  }
  svg.append(drawingNode("text", { x: left, y: height - 6, class: "axis" }, dateTime(first)));
  if (samples.length > 1)
    svg.append(drawingNode("text", { x: width - right, y: height - 6, "text-anchor": "end", class: "axis" }, dateTime(last)));
  return svg;
}

function median(values) {
  if (!values.length) return null;
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function fact(label, value) {
  const item = el("div", null, "tile");
  item.append(el("span", label, "label"), el("span", value, "value"));
  return item;
}

function renderDevicePage(d) {
  $("handheld-page-title").textContent = t("handheld.page.title", { device: d.device, rep: d.rep });
  const shown = deviceState(d);
  const accuracies = d.fixes.map((f) => f.accuracy_m);
  const skew = d.clock_skews.length ? d.clock_skews[0].skew_ms : null;
  $("handheld-facts").replaceChildren(
    fact(t("handheld.state"), t("handheld.state." + shown)),
    fact(t("handheld.backlog"), d.outbox === null ? "–" : number(d.outbox)),
    fact(t("handheld.page.accuracy"), accuracies.length ? t("handheld.metres", { n: decimal(median(accuracies), 0) }) : "–"),
    fact(t("handheld.page.skew"), skew === null ? "–" : t("handheld.seconds", { n: decimal(skew / 1000, 1) })),
    fact(t("handheld.last_seen"), d.last_seen_ms === null ? t("handheld.never") : ago(d.last_seen_ms)),
    fact(t("handheld.agent"), d.agent_version || "–"));
  const chart = $("handheld-days");
  chart.replaceChildren(dayChart(d.days, d.days_shown));
  if (!d.days.length) chart.append(el("p", t("handheld.page.no_days", { n: d.days_shown }), "hint"));
  $("handheld-backlog").replaceChildren(d.backlog.length ? backlogChart(d.backlog) : el("p", t("handheld.page.no_backlog"), "hint"));

  const fixes = $("handheld-fixes").tBodies[0];
  fixes.replaceChildren();
  for (const f of d.fixes.slice(0, 20)) {
    const row = el("tr");
    row.append(el("td", dateTime(f.captured_at_ms)), el("td", kindName(f.kind)),
               el("td", t("handheld.metres", { n: decimal(f.accuracy_m, 0) }), f.accuracy_m > 50 ? "num negative" : "num"));
    fixes.append(row);
  }
  if (!d.fixes.length) fixes.append(note(t("handheld.page.no_fixes"), 3));

  const uploads = $("handheld-uploads").tBodies[0];
  uploads.replaceChildren();
  for (const u of d.uploads) {
    const row = el("tr");
    row.append(el("td", dateTime(u.received_at_ms)), el("td", number(u.records), "num"));
    uploads.append(row);
  }
  for (const r of d.refusals) {
    const row = el("tr", null, "refused");
    row.append(el("td", dateTime(r.at_ms)), el("td", t("handheld.page.refused", { event: r.event, detail: r.detail })));
    uploads.append(row);
  }
  if (!d.uploads.length && !d.refusals.length) uploads.append(note(t("handheld.page.no_uploads"), 2));
}
