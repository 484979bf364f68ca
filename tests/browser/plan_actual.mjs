// Plan against actual on the distribution tab, in headless Chromium: the
// table under the effectiveness report, in Chinese and then in English,
// with the counts the API gives for a rep's day.
//   node plan_actual.mjs URL NAME PASSWORD PERIOD [SCREENSHOT.png]
// Exits 0 when all of it worked; otherwise prints what did not and exits 1.
import { checks, finish, launch, logIn, pickMonth, shownMonth, watchedPage } from "./browser.mjs";

const [url, name, password, period, screenshot] = process.argv.slice(2);
const { problems, expect } = checks();

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await watchedPage(context, problems);
  await logIn(page, url, name, password);
  await page.click("#tabs button[data-tab=books]");
  await pickMonth(page, "#books-filter", period);
  await page.click("#books-filter button[type=submit]");
  await page.locator("#plan-actual tbody tr").first().waitFor();
  const headers = await page.locator("#plan-actual th").allTextContents();
  expect(headers.join("|") === "代表|日期|计划|已完成|未完成|计划外", `the headers read ${headers.join("|")}`);
  const rows = await page.locator("#plan-actual tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [...tr.cells].map((td) => td.textContent).join(" ")));
  console.log("plan against actual: " + rows.join("; "));
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  await page.click("#language");
  await page.locator("#plan-actual th", { hasText: "Unplanned" }).waitFor();
  console.log("the table's headers switch to English");
  const month = await shownMonth(page, "#books-filter");
  expect(month === ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][Number(period.slice(5)) - 1],
         `in English the month reads ${month}`);
  if (screenshot) await page.screenshot({ path: screenshot.replace(/\.png$/, "-en.png"), fullPage: true });
} catch (error) {
  problems.push(error.message);
} finally {
  await browser.close();
}
finish(problems);
