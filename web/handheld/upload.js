// 上传: a commercial rep's distributor file (流向 or 库存 CSV) picked from
// the handheld's storage. The agent checks it first and nothing is queued:
// the rep sees how many rows will go and each bad row by its line and what
// is wrong. Only 上传 queues the good rows, all together; bad rows never go.
"use strict";

const upload = { file: null, checked: null };

function uploadQuery(form) {
  const kind = form.querySelector("input[name=kind]:checked").value;
  return `?kind=${kind}&encoding=${form.encoding.value}&name=${encodeURIComponent(upload.file.name)}`;
}

async function checkUpload() {
  const form = $("upload-form");
  $("upload-error").textContent = "";
  $("upload-done").hidden = true;
  $("upload-check").hidden = true;
  upload.checked = null;
  if (!upload.file) return;
  $("upload-chosen").textContent = t("upload.checking", { file: upload.file.name });
  try {
    upload.checked = await api("/api/upload/check" + uploadQuery(form), { raw: upload.file });
    upload.query = uploadQuery(form);
    drawUploadCheck();
  } catch (e) {
    $("upload-chosen").textContent = upload.file.name;
    $("upload-error").textContent = problem(e);
  }
}

function drawUploadCheck() {
  const c = upload.checked;
  if (!c) return;
  $("upload-chosen").textContent = upload.file.name;
  const encoding = c.encoding === "gbk" ? "GBK" : "UTF-8";
  $("upload-summary").textContent = c.bad.length
    ? t("upload.summary", { file: c.file, encoding, rows: c.rows, bad: c.bad.length }) + " " + t("upload.bad_note")
    : t("upload.all_good", { file: c.file, encoding, rows: c.rows });
  const list = $("upload-bad");
  list.replaceChildren();
  for (const row of c.bad) {
    const item = el("li");
    item.append(el("strong", t("upload.line", { line: row.line })),
                el("span", app.language === "en" ? row.en : row.zh, "detail"));
    if (row.code) item.append(el("code", row.code));
    list.append(item);
  }
  const confirm = $("upload-confirm");
  confirm.disabled = c.rows === 0;
  confirm.textContent = c.rows ? t("upload.confirm", { rows: c.rows }) : t("upload.nothing");
  $("upload-check").hidden = false;
}

$("upload-file").addEventListener("change", (event) => {
  upload.file = event.target.files[0] || null;
  checkUpload();
});
// Another kind or encoding reads the same file differently: check again.
$("upload-form").addEventListener("change", (event) => {
  if (event.target.name !== "file") checkUpload();
});

$("upload-confirm").addEventListener("click", async () => {
  const confirm = $("upload-confirm");
  confirm.disabled = true;
  try {
    const done = await api("/api/upload" + upload.query, { raw: upload.file });
    $("upload-check").hidden = true;
    $("upload-done").textContent = t("upload.done", { rows: done.queued, first: done.first, last: done.last });
    $("upload-done").hidden = false;
    $("upload-file").value = "";
    upload.file = null;
    upload.checked = null;
    $("upload-chosen").textContent = "";
    refreshState();
  } catch (e) {
    confirm.disabled = false;
    $("upload-error").textContent = problem(e);
  }
});
app.redraws.push(drawUploadCheck);
