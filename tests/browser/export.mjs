// An operator downloads the month's ledger as an Excel workbook from the
// books page, in Chinese, and the file the browser saves is kept for the
// test to read back.
//   node export.mjs URL NAME PASSWORD PERIOD SAVE_AS.xlsx [SCREENSHOT.png]
// Prints the suggested file name; exits 0 when all of it worked, otherwise
// prints what did not and exits 1.
import { checks, finish, launch, logIn, pickMonth, watchedPage } from "./browser.mjs";

const [url, name, password, period, saveAs, screenshot] = process.argv.slice(2);
const { problems, expect } = checks();

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  const page = await watchedPage(context, problems);
  await logIn(page, url, name, password);
  await page.click("#tabs button[data-tab=books]");
  await pickMonth(page, "#books-filter", period);
  await page.click("#books-filter button[type=submit]");
  await page.locator("#ledger tbody tr").first().waitFor();

  const excel = page.locator("[data-export=ledger] button.download[data-format=xlsx]");
  expect((await excel.textContent()) === "Excel", "the ledger has no Excel button");
  expect((await excel.getAttribute("title")).includes("下载"), "the Excel button's title is not in Chinese");
  for (const table of ["channel", "review", "anomalies"])
    expect(await page.locator(`[data-export=${table}] button.download`).count() === 2,
           `the ${table} table has no xlsx and CSV buttons`);

  const [download] = await Promise.all([page.waitForEvent("download"), excel.click()]);
  await download.saveAs(saveAs);
  console.log("downloaded as " + download.suggestedFilename());
  expect(await page.locator("[data-export=ledger] .downloads .error").textContent() === "",
         "the download reported an error");
  if (screenshot) {
    await page.screenshot({ path: screenshot, fullPage: true });
    await page.click("#tabs button[data-tab=review]");
    await page.locator("[data-export=review] button.download").first().waitFor();
    await page.screenshot({ path: screenshot.replace(/\.png$/, "-review.png"), fullPage: true });
  }
} catch (error) {
  problems.push(error.message);
} finally {
  await browser.close();
}
finish(problems);
