// 今日: the day's plan in its order with each terminal's distance from the
// current fix and whether it was visited, then the terminals nearby that
// are not in the plan. Tapping one opens its check-in.
"use strict";

const today = { answer: null };

function terminalItem(terminal, numbered) {
  const item = el("li");
  const button = el("button", null, "terminal");
  button.type = "button";
  button.dataset.terminal = terminal.terminal;
  if (numbered) button.append(el("span", terminal.order ?? "", "order"));
  const body = el("span", null, "body");
  body.append(el("span", terminal.name || terminal.terminal, "name"));
  if (terminal.address) body.append(el("span", terminal.address, "address"));
  button.append(body);
  const side = el("span", null, "side");
  side.append(el("span", distance(terminal.distance_m), "distance"));
  const visit = app.state && app.state.visit;
  if (visit && visit.terminal === terminal.terminal) side.append(el("span", t("today.in_visit"), "mark open"));
  else if (terminal.done) side.append(el("span", "✓ " + t("today.done"), "mark done"));
  button.append(side);
  if (terminal.done) item.className = "done";
  button.addEventListener("click", () => {
    if (visit && visit.terminal === terminal.terminal) location.hash = "#visit";
    else openCheckin(terminal);
  });
  item.append(button);
  return item;
}

function drawToday() {
  const answer = today.answer;
  const visit = app.state && app.state.visit;
  const back = $("back-to-visit");
  back.hidden = !visit;
  if (visit) back.textContent = t("today.back_to_visit", { name: visit.terminal_name || visit.terminal });
  if (!answer) return;
  const plan = [...(answer.plan || [])].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  const held = app.state && app.state.plan_version !== null && app.state.plan_version !== undefined;
  const none = el("li", t(held ? "today.plan.none" : "today.plan.not_held"), "hint");
  $("plan").replaceChildren(...(plan.length ? plan.map((p) => terminalItem(p, true)) : [none]));
  // With no plan every terminal is unplanned: the title need not say so.
  const title = $("nearby-title");
  title.dataset.text = plan.length ? "today.nearby" : "today.nearby.no_plan";
  title.textContent = t(title.dataset.text);
  const nearby = answer.nearby || [];
  $("nearby").replaceChildren(...(nearby.length ? nearby.map((n) => terminalItem(n, false)) : [el("li", t("today.nearby.none"), "hint")]));
}

// The agent lists the terminals nearby with or without a plan on the
// handheld, so that the rep can still check in somewhere.
async function loadToday() {
  $("today-error").textContent = "";
  try {
    today.answer = await api("/api/today");
  } catch (e) {
    $("today-error").textContent = problem(e);
  }
  drawToday();
}

app.redraws.push(drawToday);
