// Plan against actual on the distribution tab: each rep's day with the
// terminals planned, done, missed and unplanned (the `plan` rows of
// /api/effectiveness; docs/operations.md, "Visit plans") in the table
// index.html lays out under the effectiveness report. app.js calls
// renderPlanActual(report) after it has drawn that report.
"use strict";

function renderPlanActual(report) {
  const body = document.getElementById("plan-actual").tBodies[0];
  body.replaceChildren();
  const rows = report.plan || [];
  for (const d of rows) {
    const row = el("tr");
    row.append(el("td", d.rep), el("td", d.day), el("td", number(d.planned), "num"),
               el("td", number(d.done), "num"),
               el("td", number(d.missed), d.missed > 0 ? "num negative" : "num"),
               el("td", number(d.unplanned), "num"));
    body.append(row);
  }
  if (!rows.length) body.append(note(t("plan.none", { period: report.period }), 6));
}
