// The daily work on the books from the distribution tab, in headless
// Chromium: a distributor's GBK flow file uploaded and previewed (one bad
// row, named by its line), confirmed, and the month then closed with a
// reason; in Chinese, and the preview again in English. The browser's own
// language is English: the file and month controls must still speak the
// page's Chinese, and English once switched.
//   node book_actions.mjs URL NAME PASSWORD FILE MONTH [SCREENSHOT.png]
// Exits 0 when all of it worked; otherwise prints what did not and exits 1.
import { checks, finish, launch, logIn, pickMonth, shownMonth, watchedPage } from "./browser.mjs";

const [url, name, password, file, month, screenshot] = process.argv.slice(2);
const { problems, expect } = checks();

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: "en-US" });
  const page = await watchedPage(context, problems);
  await logIn(page, url, name, password);
  await page.click("#tabs button[data-tab=books]");
  await page.selectOption("#upload-form select[name=kind]", "flows");
  const fileButton = page.locator("#upload-form .file-pick button");
  const fileName = page.locator("#upload-form .file-pick .file-name");
  expect(await fileButton.textContent() === "选择文件", `the file button reads ${await fileButton.textContent()}`);
  expect(await fileName.textContent() === "未选择文件", `with no file chosen it reads ${await fileName.textContent()}`);
  // Sent with no file: told on the page, in its language.
  await page.click("#upload-form button[type=submit]");
  await page.locator("#upload-error", { hasText: "请先选择文件" }).waitFor();
  await page.setInputFiles("#upload-form input[name=file]", file);
  const chosen = file.split("/").pop();
  expect(await fileName.textContent() === chosen, `the chosen file reads ${await fileName.textContent()}`);
  await page.click("#upload-form button[type=submit]");
  await page.locator("#upload-summary").waitFor();
  const preview = await page.locator("#upload-summary").textContent();
  console.log("preview: " + preview);
  const bad = await page.locator("#upload-bad tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [...tr.cells].map((td) => td.textContent).join(" ")));
  console.log("bad rows: " + bad.join("; "));
  expect(bad.length === 1, `${bad.length} bad rows shown`);
  if (screenshot) await page.screenshot({ path: screenshot.replace(/\.png$/, "-preview.png"), fullPage: true });

  await page.click("#upload-confirm");
  await page.locator("#upload-summary", { hasText: "已入库" }).waitFor();
  console.log("confirmed: " + await page.locator("#upload-summary").textContent());
  expect(await page.locator("#upload-confirm").count() === 0, "the confirm button is still there");

  await pickMonth(page, "#period-form", month);
  const monthZh = await shownMonth(page, "#period-form");
  expect(monthZh === Number(month.split("-")[1]) + "月", `the month reads ${monthZh}`);
  await page.fill("#period-form input[name=reason]", "月度报表已报送");
  await page.click("#period-form button[value=close]");
  await page.locator("#period-message", { hasText: "已关账" }).waitFor();
  // The log is read again after the message shows: wait for the new row,
  // and let the C++ side judge what it says.
  await page.locator("#period-log tbody tr", { hasText: "月度报表已报送" }).first().waitFor({ timeout: 10000 }).catch(() => {});
  const log = await page.locator("#period-log tbody tr").first().evaluate((tr) =>
    [...tr.cells].slice(0, 4).map((td) => td.textContent).join(" "));
  console.log("period log: " + log);
  // A second close is refused, and the form keeps what was typed.
  await page.fill("#period-form input[name=reason]", "再次关账");
  await page.click("#period-form button[value=close]");
  await page.locator("#period-message", { hasText: "已经关账" }).waitFor();
  // Chromium logs the refusal it was meant to get: that one is no problem.
  const refusal = problems.findIndex((p) => p.includes("409 (Conflict)"));
  expect(refusal >= 0, "the second close was not refused");
  if (refusal >= 0) problems.splice(refusal, 1);
  const kept = await page.inputValue("#period-form input[name=reason]");
  expect(kept === "再次关账", `the reason typed was lost: "${kept}"`);
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });

  await page.click("#language");
  await page.locator("#upload-summary", { hasText: "rows stored" }).waitFor();
  console.log("in English: " + await page.locator("#upload-summary").textContent());
  const badEnglish = await page.locator("#upload-bad tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [...tr.cells].map((td) => td.textContent).join(" ")));
  console.log("bad rows in English: " + badEnglish.join("; "));
  const controls = [await fileButton.textContent(), await fileName.textContent(), await shownMonth(page, "#period-form"),
                    await shownMonth(page, "#books-filter")];
  console.log("controls in English: " + controls.join(", "));
  expect(controls[0] === "Choose file" && controls[1] === chosen, `in English the file control reads ${controls[0]} ${controls[1]}`);
  expect(/^[A-Z][a-z]{2}$/.test(controls[2]) && /^[A-Z][a-z]{2}$/.test(controls[3]), `in English the months read ${controls[2]}, ${controls[3]}`);
  if (screenshot) await page.screenshot({ path: screenshot.replace(/\.png$/, "-en.png"), fullPage: true });
} catch (error) {
  problems.push(error.message);
} finally {
  await browser.close();
}
finish(problems);
