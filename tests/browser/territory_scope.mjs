// A reviewer limited to Shanghai in headless Chromium: the header names the
// territory, the review tab shows Shanghai's flagged check-in and not
// Zhejiang's, and the books tab says why it offers no imports or closes.
//   node territory_scope.mjs URL NAME PASSWORD [SCREENSHOT.png]
// Exits 0 when all of it worked; otherwise prints what did not and exits 1.
import { checks, finish, launch, logIn, watchedPage } from "./browser.mjs";

const [url, name, password, screenshot] = process.argv.slice(2);
const { problems, expect } = checks();

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await watchedPage(context, problems);
  await logIn(page, url, name, password);
  const who = await page.locator("#who-name").textContent();
  expect(who.includes("CN-SH"), `the header reads "${who}"`);

  await page.click("#tabs button[data-tab=review]");
  await page.locator("article.review", { hasText: "dev-001 #1" }).waitFor();
  const cards = await page.locator("article.review").allTextContents();
  expect(cards.length === 1, `${cards.length} review cards shown`);
  expect(!cards.some((c) => c.includes("dev-002")), "Zhejiang's record is shown");
  console.log(`review: ${cards.length} card`);
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });

  await page.click("#tabs button[data-tab=books]");
  await page.locator("#books-scoped").waitFor();
  expect(await page.locator("#upload-form").count() === 0, "the import form is offered");
  expect(await page.locator("#period-form").count() === 0, "the month-end form is offered");
  console.log("books: " + await page.locator("#books-scoped").textContent());
} catch (error) {
  problems.push(error.message);
} finally {
  await browser.close();
}
finish(problems);
