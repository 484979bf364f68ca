// 签到: the position the agent follows (accuracy and age), the distance to
// the terminal, and outside its geofence how far and a reason before the
// check-in is saved; a storefront photo from the camera goes with it.
"use strict";

const checkin = { terminal: null, photo: null, outside: null };

function openCheckin(terminal) {
  const visit = app.state && app.state.visit;
  if (visit) {
    $("today-error").textContent = t("checkin.visit_open", { name: visit.terminal_name || visit.terminal });
    return;
  }
  if (!checkin.terminal || checkin.terminal.terminal !== terminal.terminal) {
    // Another terminal: what was typed for the last one does not apply.
    $("checkin-form").reset();
    checkin.photo = null;
    checkin.outside = null;
  }
  checkin.terminal = terminal;
  location.hash = "#checkin";
}

function drawCheckin() {
  const terminal = checkin.terminal;
  if (!terminal) return;
  $("checkin-name").textContent = t("checkin.title") + " · " + (terminal.name || terminal.terminal);
  $("checkin-address").textContent = terminal.address || "";
  const fix = app.state && app.state.fix;
  const fixNode = $("checkin-fix");
  if (!fix) {
    fixNode.textContent = t("checkin.fix.none");
  } else {
    const fixAge = fix.age_s + (Date.now() - app.stateAt) / 1000;
    fixNode.textContent = t("checkin.fix.value", { accuracy: distance(fix.accuracy_m), age: age(fixAge) });
  }
  fixNode.classList.toggle("warning", !fix);
  // Outside as the agent will judge it (the fix's accuracy counts for the
  // rep), so the reason is asked before the check-in is sent, not after.
  if (!checkin.outside && fix && terminal.radius_m && terminal.distance_m !== null && terminal.distance_m !== undefined &&
      terminal.distance_m > terminal.radius_m + Math.max(0, fix.accuracy_m || 0))
    checkin.outside = { distance_m: terminal.distance_m, radius_m: terminal.radius_m };
  const known = checkin.outside || terminal;
  $("checkin-distance").textContent = known.distance_m === null || known.distance_m === undefined || !known.radius_m
    ? ""
    : t("checkin.distance", { distance: distance(known.distance_m), radius: distance(known.radius_m) });
  const outside = $("checkin-outside");
  outside.hidden = !checkin.outside;
  if (checkin.outside)
    outside.textContent = t("checkin.outside", {
      distance: distance(checkin.outside.distance_m),
      over: distance(Math.max(0, checkin.outside.distance_m - checkin.outside.radius_m)),
    });
  $("checkin-reason-label").hidden = !checkin.outside;
  $("checkin-photo-state").textContent = checkin.photo ? t("checkin.photo.saved", { size: kilobytes(checkin.photo.size) }) : "";
}

$("checkin-photo").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  checkin.photo = null;
  $("checkin-error").textContent = "";
  if (!file) return drawCheckin();
  $("checkin-photo-state").textContent = t("checkin.photo.saving");
  try {
    checkin.photo = { id: await savePhoto(file), size: file.size };
  } catch (e) {
    $("checkin-error").textContent = problem(e);
  }
  drawCheckin();
});

$("checkin-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const error = $("checkin-error");
  error.textContent = "";
  const reason = form.elements.reason.value.trim();
  if (checkin.outside && !reason) {
    error.textContent = t("checkin.reason.required");
    form.elements.reason.focus();
    return;
  }
  const submit = form.querySelector("button[type=submit]");
  submit.disabled = true;
  try {
    // A photo whose upload failed is tried again with the check-in.
    const file = $("checkin-photo").files[0];
    if (file && !checkin.photo) checkin.photo = { id: await savePhoto(file), size: file.size };
    const body = { terminal: checkin.terminal.terminal };
    if (reason) body.reason = reason;
    if (checkin.photo) body.photo = checkin.photo.id;
    await api("/api/checkin", { body });
    form.reset();
    checkin.photo = null;
    checkin.outside = null;
    checkin.terminal = null;
    await refreshState();
    location.hash = "#visit";
  } catch (e) {
    if (e.answer && e.answer.error === "outside_geofence") {
      checkin.outside = { distance_m: e.answer.distance_m, radius_m: e.answer.radius_m };
      drawCheckin();
      form.elements.reason.focus();
    } else if (e.answer && e.answer.error === "no_fix") {
      error.textContent = t("checkin.no_fix");
    } else {
      error.textContent = problem(e);
    }
    drawCheckin();
  } finally {
    submit.disabled = false;
  }
});

$("checkin-form").elements.reason.addEventListener("input", () => { $("checkin-error").textContent = ""; });

$("checkin-cancel").addEventListener("click", () => { location.hash = "#today"; });

app.redraws.push(drawCheckin);
