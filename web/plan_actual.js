// Plan against actual on the distribution tab: each rep's day with the
// terminals planned, done, missed and unplanned (the `plan` rows of
// /api/effectiveness; docs/operations.md, "Visit plans"). app.js calls
// renderPlanActual(report) after it has drawn the effectiveness report.
"use strict";

function planActualCard() {
  let card = document.getElementById("plan-actual-card");
  if (card) return card;
  card = el("div", null, "card wide");
  card.id = "plan-actual-card";
  const title = el("h2");
  const name = el("span", null);
  name.dataset.text = "plan.title";
  const hint = el("span", null, "hint");
  hint.dataset.text = "plan.hint";
  title.append(name, " ", hint);
  const table = el("table");
  table.id = "plan-actual";
  const head = el("tr");
  for (const [key, cls] of [["plan.rep"], ["plan.day"], ["plan.planned", "num"], ["plan.done", "num"],
                            ["plan.missed", "num"], ["plan.unplanned", "num"]]) {
    const th = el("th", null, cls);
    th.dataset.text = key;
    head.append(th);
  }
  table.append(el("thead"), el("tbody"));
  table.tHead.append(head);
  const scroll = el("div", null, "scroll");
  scroll.append(table);
  card.append(title, scroll);
  document.getElementById("rep-days").closest(".card").after(card);
  return card;
}

function renderPlanActual(report) {
  const card = planActualCard();
  for (const node of card.querySelectorAll("[data-text]")) node.textContent = t(node.dataset.text);
  const body = document.getElementById("plan-actual").tBodies[0];
  body.replaceChildren();
  const rows = report.plan || [];
  for (const d of rows) {
    const row = el("tr", null, d.missed > 0 ? "plan-missed" : "");
    row.append(el("td", d.rep), el("td", d.day), el("td", number(d.planned), "num"),
               el("td", number(d.done), "num"),
               el("td", number(d.missed), d.missed > 0 ? "num negative" : "num"),
               el("td", number(d.unplanned), "num"));
    body.append(row);
  }
  if (!rows.length) body.append(note(t("plan.none", { period: report.period }), 6));
}
