// What the dashboard's browser scripts share: Debian's Chromium started
// headless, and a page whose script errors and console errors are kept as
// problems, so that any of them fails the test.
import { chromium } from "playwright-core";

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/lib/chromium/chromium",
    // The sandbox needs user namespaces, which a CI container may not give.
    args: ["--no-sandbox"],
  });
}

// The problems a script found, and `expect(ok, what)` that adds one.
export function checks() {
  const problems = [];
  return { problems, expect: (ok, what) => { if (!ok) problems.push(what); } };
}

export async function watchedPage(context, problems) {
  const page = await context.newPage();
  // A script error or a refused resource (the content policy) fails the test.
  page.on("pageerror", (error) => problems.push("page error: " + error.message));
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning")
      problems.push("console " + message.type() + ": " + message.text());
  });
  return page;
}

export async function logIn(page, url, name, password) {
  await page.goto(url);
  await page.fill("#login-form input[name=name]", name);
  await page.fill("#login-form input[name=password]", password);
  await page.click("#login-form button[type=submit]");
  await page.waitForSelector("#ingest-view:not([hidden])");
}

// Exits 0 when there were no problems; otherwise prints them and exits 1.
export function finish(problems) {
  if (problems.length) {
    for (const problem of problems) console.log("problem: " + problem);
    process.exit(1);
  }
}

// Chooses YYYY-MM in a console month picker (web/controls.js) inside the
// element `scope` selects.
export async function pickMonth(page, scope, value) {
  const [year, month] = value.split("-");
  await page.selectOption(scope + " select[data-part=year]", year);
  await page.selectOption(scope + " select[data-part=month]", month);
}

// The words a console month picker shows for its chosen month.
export async function shownMonth(page, scope) {
  return page.locator(scope + " select[data-part=month]").evaluate((s) => s.selectedOptions[0].textContent);
}
