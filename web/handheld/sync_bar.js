// The bar at the top of every screen: whether the handheld reaches the
// gateway, what still waits to go, and when something last arrived there.
"use strict";

function drawSyncBar() {
  const s = app.state;
  if (!s) return;
  const online = $("sync-online");
  online.textContent = t(s.online ? "sync.online" : "sync.offline");
  online.classList.toggle("on", !!s.online);
  online.classList.toggle("off", !s.online);
  const waiting = (s.records_waiting || 0) + (s.photos_waiting || 0);
  // "Everything sent" only once something was: beside "nothing delivered
  // yet" it would read as a contradiction.
  $("sync-waiting").textContent = waiting
    ? t("sync.waiting", { records: s.records_waiting || 0, photos: s.photos_waiting || 0 })
    : t(s.last_delivered_ms ? "sync.all_sent" : "sync.nothing");
  $("sync-waiting").classList.toggle("pending", waiting > 0);
  $("sync-delivered").textContent = s.last_delivered_ms ? t("sync.delivered", { when: clock(s.last_delivered_ms) }) : t("sync.never");
}

$("sync-now").addEventListener("click", async () => {
  const button = $("sync-now");
  button.disabled = true;
  try {
    await api("/api/sync", { body: {} });
    button.textContent = t("sync.started");
  } catch (e) {
    $("sync-waiting").textContent = problem(e);
  } finally {
    setTimeout(() => { button.disabled = false; button.textContent = t("sync.now"); }, 3000);
  }
});

app.redraws.push(drawSyncBar);
