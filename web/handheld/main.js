// The rep's app starts here: the per-start token from the agent, the state
// it keeps pushing (sync, fix, open visit, scans), and the screen named by
// the address's #fragment, so the back button walks between screens.
"use strict";

const views = { today: "today-view", checkin: "checkin-view", visit: "visit-view", results: "results-view", upload: "upload-view", pin: "pin-view" };

// 上传 is a commercial rep's work: the tab shows once the gateway's master
// data has said the handheld's rep is one (state.rep_role), never before.
function uploads() {
  return (app.state || {}).rep_role === "commercial";
}

function viewName() {
  const name = location.hash.replace(/^#/, "") || "today";
  if (name === "upload" && !uploads()) return "today";
  return !(name in views) || (name === "checkin" && !checkin.terminal) ? "today" : name;
}

function show() {
  const name = viewName();
  for (const [key, id] of Object.entries(views)) $(id).hidden = key !== name;
  for (const button of document.querySelectorAll("#tabs button"))
    button.classList.toggle("active", button.dataset.tab === name || ((name === "checkin" || name === "pin") && button.dataset.tab === "today"));
  document.body.classList.toggle("pin-entry", name === "pin");
  if (name !== "today") pin.done = null;
  if (name === "pin") startPinSetting();
  reloadView();
  window.scrollTo(0, 0);
}

// What the screen showing reads from the agent, read again (after an
// unlock, too: the rep carries on where the lock screen came up).
function reloadView() {
  const name = viewName();
  if (name === "today") { drawPinDone(); loadToday(); }
  if (name === "checkin") drawCheckin();
  if (name === "visit") loadVisit();
  if (name === "results") loadResults();
  if (name === "pin") drawPinSetting();
}

function stateArrived(s) {
  const before = app.state || {};
  const visitChanged = JSON.stringify(before.visit) !== JSON.stringify(s.visit);
  // A plan or terminals just come down, or a first fix, change the day's list.
  const todayChanged = before.plan_version !== s.plan_version || before.master_version !== s.master_version || !before.fix !== !s.fix;
  app.state = s;
  app.stateAt = Date.now();
  $("tab-upload").hidden = !uploads();
  if (before.rep_role !== s.rep_role && location.hash === "#upload") show();
  lockStateArrived(s);
  drawSyncBar();
  drawCheckin();
  if (visitChanged && !$("visit-view").hidden) loadVisit();
  if (!$("today-view").hidden) todayChanged ? loadToday() : drawToday();
}

async function refreshState() {
  try {
    stateArrived(await api("/api/state"));
  } catch (e) {
    $("sync-online").textContent = t("sync.offline");
  }
}

async function startSession() {
  try {
    app.token = (await api("/api/session")).token;
  } catch (e) {
    $("today-error").textContent = problem(e);
  }
}

function listen() {
  const events = new EventSource("/api/events");
  events.addEventListener("state", (event) => stateArrived(JSON.parse(event.data)));
  events.addEventListener("scan", (event) => scanArrived(JSON.parse(event.data)));
  events.addEventListener("scan_error", (event) => scanFailed(JSON.parse(event.data)));
  // EventSource reconnects by itself. The agent may have restarted: its
  // token is new, and what changed meanwhile is read again.
  events.addEventListener("open", async () => {
    await startSession();
    refreshState();
    if (!$("visit-view").hidden) loadVisit();
  });
}

for (const button of document.querySelectorAll("button.language"))
  button.addEventListener("click", () => {
    app.language = app.language === "en" ? "zh-CN" : "en";
    localStorage.setItem("fieldflow.handheld.language", app.language);
    applyLanguage();
  });

for (const button of document.querySelectorAll("#tabs button"))
  button.addEventListener("click", () => { location.hash = "#" + button.dataset.tab; });
window.addEventListener("hashchange", show);

// The fix's age keeps growing between the agent's updates.
setInterval(() => { if (!$("checkin-view").hidden) drawCheckin(); }, 1000);

(async () => {
  applyLanguage();
  await startSession();
  await refreshState();
  listen();
  show();
})();
