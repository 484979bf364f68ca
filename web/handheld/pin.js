// The rep's PIN. The lock screen covers every other one while the handheld
// is locked (the state says so, or a call was answered 423): a keypad for a
// thumb or a glove, a dot per digit, 解锁; once the PIN is right the calls
// that waited are made and the screen that was showing carries on. 设置 PIN
// (#pin) takes a new PIN twice (and the current one first when it changes
// one); 今日 says when the data has no PIN, and 锁定 in the bar locks now.
"use strict";

const pin = {
  lock: { digits: "", message: null, until: 0, timer: null, busy: false },
  setting: { step: "first", digits: "", current: "", first: "", message: null, busy: false },
  done: null,
};

// A time as the rep reads the clock whatever the handheld's zone: China's.
function chinaClock(ms) {
  return new Intl.DateTimeFormat(app.language, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "Asia/Shanghai" }).format(new Date(ms));
}

// A keypad into `keys` that edits `entry.digits` and calls `changed`.
function keypad(keys, entry, changed) {
  const press = (key) => {
    if (key === "delete") entry.digits = entry.digits.slice(0, -1);
    else if (key === "clear") entry.digits = "";
    else if (entry.digits.length < 16) entry.digits += key;
    changed();
  };
  for (const key of ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "delete"]) {
    const button = el("button", /\d/.test(key) ? key : null, /\d/.test(key) ? "digit" : "word");
    button.type = "button";
    button.dataset.key = key;
    if (!/\d/.test(key)) button.dataset.text = "pin.key." + key;
    button.addEventListener("click", () => press(key));
    keys.append(button);
  }
  return press;
}

function drawDots(dots, digits) {
  const shown = Math.max(6, digits.length);
  const spans = [];
  for (let i = 0; i < shown; ++i) spans.push(el("span", null, i < digits.length ? "on" : ""));
  dots.replaceChildren(...spans);
  dots.setAttribute("aria-label", t("pin.entered", { n: digits.length }));
}

// A message kept by its key, so that a language switch re-draws it.
function say(node, message) {
  node.replaceChildren(...(message ? message.map(([key, vars]) => el("span", t(key, vars))) : []));
}

// --- The lock screen -------------------------------------------------------

function showLock() {
  if (!app.locked) {
    app.locked = true;
    pin.lock.digits = "";
    pin.lock.message = null;
  }
  $("lock-view").hidden = false;
  document.body.classList.add("locked");
  // No field under the lock keeps the focus (nor a phone's keyboard open).
  if (document.activeElement && !$("lock-view").contains(document.activeElement)) document.activeElement.blur();
  drawLock();
}

function unlocked() {
  app.locked = false;
  $("lock-view").hidden = true;
  document.body.classList.remove("locked");
  pin.lock.digits = "";
  const waiting = app.unlockWaiters.splice(0);
  for (const resolve of waiting) resolve();
  refreshState();
  reloadView();
}

function drawLock() {
  const lock = pin.lock;
  drawDots($("lock-dots"), lock.digits);
  const out = lock.until > Date.now();
  say($("lock-error"), out ? [["lock.locked_out", { time: chinaClock(lock.until) }], ["lock.nothing_wiped", {}]] : lock.message);
  for (const key of $("lock-keys").children) key.disabled = out;
  $("lock-unlock").disabled = out || lock.busy;
  $("lock-unlock").textContent = t(lock.busy ? "lock.unlocking" : "lock.unlock");
}

// No PIN is taken before `until`: the keypad waits, and says until when.
function lockedOut(until) {
  const lock = pin.lock;
  lock.until = until;
  lock.digits = "";
  clearTimeout(lock.timer);
  if (until > Date.now())
    lock.timer = setTimeout(() => { lock.message = [["lock.again", {}]]; drawLock(); }, until - Date.now() + 500);
  drawLock();
}

async function unlock() {
  const lock = pin.lock;
  if (lock.busy) return;
  if (lock.digits.length < 6) {
    lock.message = [["pin.rules", {}]];
    return drawLock();
  }
  lock.busy = true;
  lock.message = null;
  drawLock();
  try {
    await api("/api/unlock", { body: { pin: lock.digits } });
    lock.busy = false;
    lock.until = 0;
    unlocked();
  } catch (e) {
    lock.busy = false;
    lock.digits = "";
    const answer = e.answer || {};
    if (answer.error === "wrong_pin" && answer.locked_until_ms) lockedOut(answer.locked_until_ms);
    else if (answer.error === "locked_out") lockedOut(answer.until_ms);
    else lock.message = answer.error === "wrong_pin" ? [["lock.wrong", { n: answer.tries_left }]] : [["lock.problem", { message: problem(e) }]];
    drawLock();
  }
}

// What the state says of the lock: the lock screen, the 锁定 button, and
// 今日's notice when nothing is protected.
function lockStateArrived(s) {
  const lock = s.lock || { status: "no_pin" };
  if (lock.status === "locked") {
    showLock();
    if (lock.locked_until_ms > Date.now() && lock.locked_until_ms !== pin.lock.until) lockedOut(lock.locked_until_ms);
  } else if (app.locked) {
    // Unlocked elsewhere (the command line): carry on.
    unlocked();
  }
  $("lock-now").hidden = lock.status !== "unlocked";
  $("pin-missing").hidden = lock.status !== "no_pin";
  $("pin-change").hidden = lock.status !== "unlocked";
}

$("lock-now").addEventListener("click", async () => {
  try {
    await api("/api/lock", { body: {} });
    showLock();
  } catch (e) {
    $("notice").textContent = problem(e);
    $("notice").hidden = false;
  }
});

const pressLock = keypad($("lock-keys"), pin.lock, drawLock);
$("lock-unlock").addEventListener("click", unlock);

// --- 设置 PIN (#pin) -------------------------------------------------------

// Opened from 今日: the first PIN, or a new one after the current.
function startPinSetting() {
  const changing = app.state && app.state.lock && app.state.lock.status !== "no_pin";
  Object.assign(pin.setting, { step: changing ? "current" : "first", digits: "", current: "", first: "", message: null, busy: false });
  drawPinSetting();
}

function drawPinSetting() {
  const setting = pin.setting;
  const changing = setting.step === "current" || setting.current !== "";
  $("pin-title").textContent = t(changing ? "pin.title.change" : "pin.title.set");
  $("pin-step").textContent = t("pin.step." + setting.step);
  drawDots($("pin-dots"), setting.digits);
  say($("pin-error"), setting.message);
  const next = $("pin-next");
  next.disabled = setting.busy;
  next.textContent = t(setting.busy ? "pin.saving" : setting.step !== "again" ? "pin.next" : changing ? "pin.save.change" : "pin.save");
  $("pin-hint").hidden = setting.step === "current";
}

async function pinNext() {
  const setting = pin.setting;
  if (setting.busy) return;
  if (setting.digits.length < 6) {
    setting.message = [["pin.rules", {}]];
    return drawPinSetting();
  }
  setting.message = null;
  if (setting.step === "current") {
    Object.assign(setting, { current: setting.digits, digits: "", step: "first" });
  } else if (setting.step === "first") {
    Object.assign(setting, { first: setting.digits, digits: "", step: "again" });
  } else if (setting.digits !== setting.first) {
    Object.assign(setting, { first: "", digits: "", step: "first", message: [["pin.mismatch", {}]] });
  } else {
    setting.busy = true;
    drawPinSetting();
    const body = { pin: setting.first };
    if (setting.current) body.current = setting.current;
    try {
      const answer = await api("/api/pin", { body });
      pin.done = answer.changed ? "pin.changed" : "pin.set";
      setting.busy = false;
      location.hash = "#today";
      refreshState();
      return;
    } catch (e) {
      const answer = e.answer || {};
      setting.busy = false;
      if (answer.error === "wrong_pin" || answer.error === "locked_out") {
        // The current PIN was wrong: from the start, saying why.
        Object.assign(setting, { step: "current", current: "", first: "", digits: "" });
        setting.message = [["lock.problem", { message: agentSaid(answer) }]];
      } else {
        setting.message = [["lock.problem", { message: problem(e) }]];
      }
    }
  }
  drawPinSetting();
}

const pressPin = keypad($("pin-keys"), pin.setting, drawPinSetting);
$("pin-next").addEventListener("click", pinNext);
$("pin-cancel").addEventListener("click", () => { location.hash = "#today"; });
$("pin-missing-set").addEventListener("click", () => { location.hash = "#pin"; });
$("pin-change").addEventListener("click", () => { location.hash = "#pin"; });

// 今日 says once that the PIN was set or changed.
function drawPinDone() {
  $("pin-done").hidden = !pin.done;
  if (pin.done) $("pin-done").textContent = t(pin.done);
}
$("pin-done").addEventListener("click", () => { pin.done = null; drawPinDone(); });

// A handheld with number keys types the PIN on them as well.
document.addEventListener("keydown", (event) => {
  const press = !$("lock-view").hidden ? pressLock : !$("pin-view").hidden ? pressPin : null;
  if (!press || event.ctrlKey || event.altKey || event.metaKey) return;
  if (/^\d$/.test(event.key)) press(event.key);
  else if (event.key === "Backspace") press("delete");
  else if (event.key === "Enter") !$("lock-view").hidden ? unlock() : pinNext();
  else return;
  event.preventDefault();
});

app.redraws.push(drawLock, drawPinSetting, drawPinDone);
