// The audit page in headless Chromium, in Chinese on an English browser:
// an admin's wrong password is the newest entry once logged in, the kind
// filter leaves only records booked, a date not written as one is named,
// the chain verifies, and all of it reads English after the switch.
//   node audit_log.mjs URL NAME PASSWORD [SCREENSHOT.png]
// Exits 0 when all of it worked; otherwise prints what did not and exits 1.
import { checks, finish, launch, logIn, watchedPage } from "./browser.mjs";

const [url, name, password, screenshot] = process.argv.slice(2);
const { problems, expect } = checks();
const cells = (locator) => locator.evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: "en-US" });
  const page = await watchedPage(context, problems);
  await page.goto(url);
  await page.fill("#login-form input[name=name]", name);
  await page.fill("#login-form input[name=password]", "not the password");
  await page.click("#login-form button[type=submit]");
  await page.locator("#login-error:not(:empty)").waitFor();
  // Chromium logs the refusal it was meant to get: that one is no problem.
  const refusal = problems.findIndex((p) => p.includes("401 (Unauthorized)"));
  if (refusal >= 0) problems.splice(refusal, 1);
  await logIn(page, url, name, password);

  await page.click("#tabs button[data-tab=audit]");
  const rows = page.locator("#audit-log tbody tr[data-entry]");
  await rows.first().waitFor();
  const headers = await page.locator("#audit-log th").allTextContents();
  expect(headers.join("|") === "条目|时间|操作人|操作|对象|详情", `the headers read ${headers.join("|")}`);
  const [newest] = await cells(rows);
  console.log("newest: " + newest.join(" | "));
  expect(newest[2] === name && newest[3] === "登录失败", `the newest entry is ${newest.join(" | ")}`);
  expect(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/.test(newest[1]), `its time reads ${newest[1]}`);
  expect(newest[4] === "账户与登录", `it is about ${newest[4]}`);

  await page.selectOption("#audit-filter select[name=kind]", "records");
  await page.click("#audit-filter button[type=submit]");
  await page.locator("#audit-log tbody tr[data-kind=records]").first().waitFor();
  const kinds = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.kind));
  expect(kinds.length > 0 && kinds.every((k) => k === "records"), `the records filter shows ${kinds.join(", ")}`);
  const [record] = await cells(rows);
  console.log("records: " + kinds.length + ", newest " + record.join(" | "));
  expect(record[3] === "记录入库", `a record entry reads ${record[3]}`);

  await page.fill("#audit-filter input[name=from]", "2026-3-1");
  await page.click("#audit-filter button[type=submit]");
  const error = await page.locator("#audit-error:not(:empty)").textContent();
  console.log("bad date: " + error);
  expect(error.includes("起始日期") && error.includes("2026-3-1"), `a bad date is told as ${error}`);
  await page.fill("#audit-filter input[name=from]", "");

  await page.click("#audit-verify");
  const verified = await page.locator("#audit-verified.ok").textContent();
  console.log("verified: " + verified);
  expect(verified.startsWith("哈希链完整"), `the chain reads ${verified}`);
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });

  await page.click("#language");
  await page.locator("#audit-log th", { hasText: "Entry" }).waitFor();
  await page.locator("#audit-log tbody tr[data-entry] td", { hasText: "record booked" }).first().waitFor();
  const english = await page.locator("#audit-verified").textContent();
  console.log("in English: " + english);
  expect(english.startsWith("chain intact"), `in English the chain reads ${english}`);
  const [englishRecord] = await cells(rows);
  expect(englishRecord[4].startsWith("Records booked"), `in English a record is about ${englishRecord[4]}`);
  if (screenshot) await page.screenshot({ path: screenshot.replace(/\.png$/, "-en.png"), fullPage: true });
} catch (error) {
  problems.push(error.message);
} finally {
  await browser.close();
}
finish(problems);
