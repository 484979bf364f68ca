// `serve` killed (SIGKILL) in the middle of a visit and started again: the
// page finds the open visit with what it had shown as saved, from the
// agent alone (records the gateway already acked included, the browser's
// storage cleared), carries on, and the background sync delivers it all.
// Prints the records the screen had confirmed, for the test to find at
// the gateway.
//   node handheld_restart.mjs AGENT STATE GATEWAY WORKDIR [SCREENSHOT_DIR]
import path from "node:path";
import { checks, finish, launch, watchedPage } from "./browser.mjs";
import { gtin, handheldAtT1, phone, startServe } from "./handheld_agent.mjs";

const [agent, state, gateway, work, shots] = process.argv.slice(2);
const { problems, expect } = checks();
const handheld = await handheldAtT1({ agent, state, gateway, work });
const { gpsd, engine, options } = handheld;
let { serve } = handheld;
const browser = await launch();
// While the agent is down the page's calls and its event stream fail to
// connect, as they would on the handheld, and the stale token is refused
// once; nothing else may go wrong.
const down = [];
try {
  const page = await watchedPage(await phone(browser), down);
  await page.goto(serve.url);
  // T1 is in the plan, and nearby too when no plan has come down yet.
  await page.tap("button.terminal[data-terminal=T1] >> nth=0");
  await page.waitForFunction(() => document.querySelector("#checkin-fix").textContent.startsWith("精度"));
  await page.tap("#checkin-form button[type=submit]");
  await page.waitForSelector("#visit-open:not([hidden])");
  await engine.scan("]d201" + gtin("0690123456789") + "172612311" + "0LOT42\x1d21SN7");
  await engine.scan("6901234567809");
  await page.waitForFunction(() => document.querySelectorAll("#scans li.scan").length === 2, null, { timeout: 30000 });
  await page.fill("#count-form input[name=product]", "P1");
  await page.fill("#count-form input[name=quantity]", "7");
  await page.tap("#count-form button[type=submit]");
  await page.waitForFunction(() => document.querySelectorAll("#saved li").length === 1);
  await page.locator("form[data-report=sale]").evaluate((form) => { form.closest("details").open = true; });
  await page.fill("form[data-report=sale] input[name=product]", "P1");
  await page.fill("form[data-report=sale] input[name=qty]", "3");
  await page.tap("form[data-report=sale] button[type=submit]");
  await page.waitForFunction(() => document.querySelectorAll("#saved li").length === 2);
  const shown = async () => page.evaluate(() => [app.state.visit.seq, ...visit.scans.keys(), ...visit.saved.map((s) => s.seq)]);
  const screen = async () => page.evaluate(() => [...document.querySelectorAll("#scans li.scan, #saved li")].map((li) => li.textContent).sort().join("|"));
  const before = await shown();
  console.log("confirmed before the kill: " + before.join(","));
  // Delivered and acked: the records have left the outbox, the visit is still open.
  await page.waitForFunction(() => document.querySelector("#sync-waiting").textContent === "全部已上传", null, { timeout: 120000 });
  // Nothing of the visit is kept in the browser's storage, which is not sealed.
  const stored = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
  expect(!stored.includes("LOT42") && !stored.includes("SN7"), "the browser's storage holds the visit: " + stored);

  const token = await page.evaluate(() => app.token);
  const killed = await serve.kill("SIGKILL");
  expect(killed.signal === "SIGKILL", "serve was not killed: " + JSON.stringify(killed));
  // A count typed while the agent is down: refused, said why, kept in the form.
  await page.fill("#count-form input[name=product]", "P2");
  await page.fill("#count-form input[name=quantity]", "2");
  await page.tap("#count-form button[type=submit]");
  await page.waitForSelector("#count-form .error:has-text('无法连接本机服务')");
  expect(await page.inputValue("#count-form input[name=product]") === "P2" &&
         await page.inputValue("#count-form input[name=quantity]") === "2", "the count typed while the agent was down was lost");
  console.log("a count typed while serve was down stays in its form: " + await page.textContent("#count-form .error"));
  serve = await startServe(options);
  // The page reconnects by itself, takes the new start's token and reads
  // the open visit again.
  await page.waitForFunction((old) => app.token !== old, token, { timeout: 30000 });
  await page.waitForFunction(() => document.querySelectorAll("#scans li.scan").length === 2 &&
                                    document.querySelectorAll("#saved li").length === 2, null, { timeout: 30000 });
  const after = await shown();
  expect(before.every((seq) => after.includes(seq)), `after the restart the page shows ${after.join(",")}, not all of ${before.join(",")}`);
  const listed = await screen();
  // A page opened afresh with the browser's storage cleared lists the same,
  // the scan's lot and expiry included: the agent alone holds the list.
  const fresh = await watchedPage(page.context(), down);
  await fresh.goto(serve.url);
  await fresh.evaluate(() => localStorage.clear());
  await fresh.reload();
  await fresh.tap("#tabs button[data-tab=visit]");
  await fresh.waitForFunction(() => document.querySelectorAll("#scans li.scan").length === 2 &&
                                     document.querySelectorAll("#saved li").length === 2, null, { timeout: 30000 });
  const freshShown = await fresh.evaluate(() => [app.state.visit.seq, ...visit.scans.keys(), ...visit.saved.map((s) => s.seq)]);
  expect(before.length === freshShown.length && before.every((seq) => freshShown.includes(seq)),
         `with its storage cleared the page shows ${freshShown.join(",")}, not ${before.join(",")}`);
  const freshListed = await fresh.evaluate(() => [...document.querySelectorAll("#scans li.scan, #saved li")].map((li) => li.textContent).sort().join("|"));
  expect(!(await fresh.evaluate(() => localStorage.getItem("fieldflow.handheld.visit"))), "the page kept the visit in its storage");
  expect(freshListed === listed, `with its storage cleared the page lists ${freshListed}, not ${listed}`);
  expect(freshListed.includes("LOT42") && freshListed.includes("2026-12-31"), "the scan's lot and expiry are not shown: " + freshListed);
  console.log("listed after the restart with the storage cleared: " + freshListed);
  if (shots) await fresh.screenshot({ path: path.join(shots, "handheld-visit-restarted.png"), fullPage: true });
  await fresh.close();

  // A page that missed the reconnection still holds the old start's token:
  // its next save is refused once (403), takes the new token and goes through.
  // The count kept in the form is sent again as it stands.
  await page.evaluate(() => { app.token = "from-before-the-restart"; });
  await page.tap("#count-form button[type=submit]");
  await page.waitForFunction(() => document.querySelectorAll("#saved li").length === 3);
  const counted = await page.evaluate(() => visit.saved.at(-1).seq);
  await page.tap("#checkout");
  await page.tap("#checkout");
  await page.waitForSelector("#checked-out:not([hidden])");
  await page.waitForFunction(() => document.querySelector("#sync-waiting").textContent === "全部已上传", null, { timeout: 120000 });
  console.log("confirmed: " + [...before, counted].join(","));
} catch (error) {
  problems.push(error.message);
} finally {
  await browser.close();
  await serve.kill("SIGTERM");
  gpsd.close();
}
for (const problem of down)
  if (!/ERR_CONNECTION_REFUSED|ERR_EMPTY_RESPONSE|ERR_CONNECTION_RESET|Failed to fetch|status of 403/.test(problem)) problems.push(problem);
finish(problems);
