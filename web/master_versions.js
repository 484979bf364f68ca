// The master data's versions on the distribution tab, newest first, with
// how many products, terminals, distributors and reps each added, changed
// and removed (GET /api/master; `fieldflow master list` has the same).
// app.js calls loadMasterVersions() with the rest of the tab.
"use strict";

async function loadMasterVersions() {
  const body = $("master-versions").tBodies[0];
  let answer;
  try {
    answer = await api("/api/master");
  } catch (e) {
    body.replaceChildren(note(problem(e), 7));
    return;
  }
  body.replaceChildren();
  answer.versions.forEach((v, i) => {
    const row = el("tr");
    const version = el("td", "v" + v.version + (i === 0 ? " " + t("masterdata.latest") : ""));
    row.append(version, el("td", dateTime(v.imported_at_ms)), el("td", v.by));
    for (const kind of ["products", "terminals", "distributors", "reps"]) {
      const c = v[kind];
      const cell = el("td", c.added || c.changed || c.removed
        ? t("masterdata.change", { added: number(c.added), changed: number(c.changed), removed: number(c.removed) })
        : "–");
      row.append(cell);
    }
    row.title = v.source;
    body.append(row);
  });
  if (!answer.versions.length) body.append(note(t("masterdata.none"), 7));
}
